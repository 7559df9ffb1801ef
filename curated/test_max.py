import torch
from max import max_all, max_all_reference, max_dim, max_dim_reference

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def test_max_all():
    x = torch.randn((37, 129), device=DEVICE)
    torch.testing.assert_close(max_all(x), max_all_reference(x), rtol=1e-4, atol=1e-4)


def test_max_dim():
    x = torch.randn((37, 129), device=DEVICE)
    torch.testing.assert_close(max_dim(x, 1), max_dim_reference(x, 1), rtol=1e-4, atol=1e-4)
