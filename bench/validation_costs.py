"""Where a validation child's time goes on a GPU host, to read bench/validator_benchmark.py's
ratio against: what a fresh interpreter pays before it can run a test (start-up and the
torch/triton/pytest imports), and what a child forked from a server that already imported
them still pays (creating its CUDA context and first tensor).

    python3 bench/validation_costs.py          # on the GPU host
"""
import os
import subprocess
import sys
import time


def main():
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch, triton, pytest"], check=True)
    print(f"fresh python + import torch/triton/pytest: {time.perf_counter() - start:.2f} s")
    import torch  # noqa: F401  (the server's imports, before forking)
    import triton  # noqa: F401
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            torch.cuda.init()
            torch.ones(4, device="cuda")
            torch.cuda.synchronize()
            os._exit(0)
        os.waitpid(pid, 0)
        samples.append(time.perf_counter() - start)
    print("forked child, CUDA context + first tensor:", " ".join(f"{s:.2f}" for s in samples), "s")


if __name__ == "__main__":
    main()
