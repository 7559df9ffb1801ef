class _flag_gems_libentry:
    """tritonpile's stand-in for flag_gems.utils.libentry.

    libentry() wraps a Triton kernel in a cache of its compiled variants, keyed by the
    arguments that select one, to skip Triton's own dispatch on the hot path. The kernel it
    launches is the one it wraps, so without the cache the kernel runs as it is. libtuner is
    Triton's autotuner with a persistent cache of its choices, keyed by bucketed arguments
    (`strategy`) under a tuning `policy`: Triton's own autotuner picks among the same
    configurations.
    """

    @staticmethod
    def libentry():
        return lambda kernel: kernel

    @staticmethod
    def libtuner(configs, key, prune_configs_by=None, reset_to_zero=None, restore_value=None, pre_hook=None,
                 post_hook=None, warmup=25, rep=100, use_cuda_graph=False, do_bench=None, strategy="default",
                 policy="default"):
        return __import__("triton").autotune(
            configs, key, prune_configs_by=prune_configs_by, reset_to_zero=reset_to_zero,
            restore_value=restore_value, pre_hook=pre_hook, post_hook=post_hook, warmup=warmup, rep=rep,
            use_cuda_graph=use_cuda_graph, do_bench=do_bench)
