class _nvtx:
    """tritonpile's stand-in for the nvtx package, which the validation environment lacks.

    NVTX ranges and marks only annotate a profiler's timeline: without a profiler they do
    nothing, and so does this.
    """

    class annotate:
        def __init__(self, message=None, color=None, domain=None, category=None, payload=None):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exception):
            return False

        def __call__(self, function):
            return function

    @staticmethod
    def push_range(message=None, color=None, domain=None, category=None, payload=None):
        pass

    @staticmethod
    def pop_range(domain=None):
        pass

    @staticmethod
    def start_range(message=None, color=None, domain=None, category=None, payload=None):
        return None

    @staticmethod
    def end_range(range_id):
        pass

    @staticmethod
    def mark(message=None, color=None, domain=None, category=None, payload=None):
        pass
