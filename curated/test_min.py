import torch
from min import min_all, min_all_reference, min_dim, min_dim_reference

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def test_min_all():
    x = torch.randn((37, 129), device=DEVICE)
    torch.testing.assert_close(min_all(x), min_all_reference(x), rtol=1e-4, atol=1e-4)


def test_min_dim():
    x = torch.randn((37, 129), device=DEVICE)
    torch.testing.assert_close(min_dim(x, 1), min_dim_reference(x, 1), rtol=1e-4, atol=1e-4)
