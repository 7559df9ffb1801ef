class _flag_gems_triton_lang_helper:
    """tritonpile's stand-in for flag_gems.utils.triton_lang_helper on an NVIDIA GPU.

    FlagGems picks the vendor's device library (libdevice, for NVIDIA CUDA's) at import, and
    lets a function of that library replace a Triton function of the same name it defines.
    """

    tl_extra_shim = __import__("importlib").import_module("triton.language.extra.cuda.libdevice")

    @staticmethod
    def use_backend(module):
        return lambda function: getattr(module, function.__name__, function)

    @staticmethod
    def use_tl_extra(function):
        return getattr(_flag_gems_triton_lang_helper.tl_extra_shim, function.__name__, function)
