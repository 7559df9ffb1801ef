"""The Python-level sandbox of a validation child, installed as an audit hook (PEP 578).

Inside a child the code under test may not: open a file for writing outside the scratch
directory and Triton's cache, connect a socket, fork, or start a process (Triton's own
compiler tools and the ldconfig it asks for libcuda excepted). A violation raises SandboxViolation and is remembered even if the
code swallows the exception, so the report can classify the entry as "sandbox-violation".
The child also runs in its own network namespace where the OS allows it (runner.cc); this
hook is the part that names what was attempted.
"""
import os
import sys

VIOLATIONS = []


class SandboxViolation(Exception):
    pass


def _roots():
    roots = [os.getcwd()]
    for name in ("TRITON_CACHE_DIR", "TMPDIR"):
        if os.environ.get(name):
            roots.append(os.environ[name])
    return [os.path.realpath(r) for r in roots] + ["/dev/null", "/dev/shm"]


def _writes(mode, flags):
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC))


# Programs Triton runs itself on a GPU host: ldconfig and file to find libcuda, a C compiler
# for its launcher stubs, nvidia-smi; its own tools (ptxas, ...) live in its package.
_SYSTEM_PROGRAMS = {"ldconfig", "ldconfig.real", "file", "cc", "gcc", "clang", "nvidia-smi", "uname"}


def _allowed_program(argv0):
    name = os.path.basename(os.fsdecode(argv0 if isinstance(argv0, (str, bytes)) else str(argv0)))
    if name in _SYSTEM_PROGRAMS or (name.startswith(("gcc-", "x86_64-linux-gnu-gcc")) and "/" not in name):
        return True
    try:
        import triton
    except ImportError:
        return False
    program = os.path.realpath(str(argv0))
    return program.startswith(os.path.realpath(os.path.dirname(triton.__file__)))


def install():
    roots = _roots()

    def violate(what):
        VIOLATIONS.append(what)
        raise SandboxViolation(what)

    def hook(event, args):
        if event == "open":
            path, mode, flags = (list(args) + [None, None, None])[:3]
            if isinstance(path, int) or path is None or not _writes(mode, flags):
                return
            real = os.path.realpath(os.fsdecode(path))
            if not any(real == root or real.startswith(root + os.sep) for root in roots):
                violate(f"write outside the scratch directory: {real}")
        elif event == "socket.connect":
            violate(f"network connection to {args[1]!r}")
        elif event in ("os.fork", "os.forkpty", "os.system"):
            violate(f"{event} is not allowed")
        elif event in ("os.posix_spawn", "os.exec", "os.spawn"):
            # subprocess starts an allowed program through these too; the program decides.
            program = args[1] if event == "os.spawn" else args[0]
            if not _allowed_program(program):
                violate(f"starting a process ({os.fsdecode(program)}) is not allowed")
        elif event == "subprocess.Popen":
            executable, argv = args[0], args[1]
            if executable is None:
                executable = argv[0] if isinstance(argv, (list, tuple)) and argv else str(argv).split()[0]
            if not _allowed_program(executable):
                violate(f"starting a process ({executable}) is not allowed")

    sys.addaudithook(hook)
