class _flag_gems_libentry:
    """tritonpile's stand-in for flag_gems.utils.libentry.

    libentry() wraps a Triton kernel in a cache of its compiled variants, keyed by the
    arguments that select one, to skip Triton's own dispatch on the hot path. The kernel it
    launches is the one it wraps, so without the cache the kernel runs as it is.
    """

    @staticmethod
    def libentry():
        return lambda kernel: kernel
