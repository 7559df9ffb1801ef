class _flag_gems_runtime:
    """tritonpile's stand-in for flag_gems.runtime as it answers on an NVIDIA GPU.

    FlagGems detects the vendor at import and hands its operators the vendor's torch device
    module (torch.cuda on NVIDIA) and device description. On the GPUs entries are validated
    on those answers are fixed, so they are written out here. The heuristics and tuned
    configurations an operator looks up are the NVIDIA backend's (HEURISTICS_CONFIGS of its
    heuristics_config_utils.py, and its tune_configs.yaml as FlagGems' ConfigLoader reads it):
    the entry carries each as a top-level `_flag_gems_heuristics_<op>` or `_flag_gems_tuned_<op>`.
    """

    class _TorchCuda:
        """torch.cuda, whose device guard also takes a CPU tensor's device, the device Triton's
        interpreter runs kernels on: there is no GPU to select then."""

        def __getattr__(self, name):
            return getattr(__import__("torch").cuda, name)

        @staticmethod
        def device(device):
            torch = __import__("torch")
            if isinstance(device, (str, torch.device)) and torch.device(device).type != "cuda":
                return __import__("contextlib").nullcontext()
            return torch.cuda.device(device)

    torch_device_fn = _TorchCuda()

    class device:
        name = "cuda"
        vendor_name = "nvidia"
        dispatch_key = "CUDA"
        support_fp64 = True
        support_bf16 = True
        support_int64 = True

    @staticmethod
    def get_heuristic_config(op_name):
        return globals()["_flag_gems_heuristics_" + op_name]

    @staticmethod
    def get_tuned_config(op_name):
        return globals()["_flag_gems_tuned_" + op_name]
