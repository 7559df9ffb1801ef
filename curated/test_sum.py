import torch
from sum import sum_all, sum_all_reference, sum_dim, sum_dim_reference

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def test_sum_all():
    x = torch.randn((37, 129), device=DEVICE)
    torch.testing.assert_close(sum_all(x), sum_all_reference(x), rtol=1e-4, atol=1e-4)


def test_sum_dim():
    x = torch.randn((37, 129), device=DEVICE)
    torch.testing.assert_close(sum_dim(x, 1), sum_dim_reference(x, 1), rtol=1e-4, atol=1e-4)
