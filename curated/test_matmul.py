import torch
from matmul import matmul, matmul_reference

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def test_matmul():
    a = torch.randn((64, 48), device=DEVICE)
    b = torch.randn((48, 80), device=DEVICE)
    torch.testing.assert_close(matmul(a, b), matmul_reference(a, b), rtol=1e-4, atol=1e-4)
