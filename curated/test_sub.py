import torch
from sub import sub, sub_reference

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def test_sub():
    x = torch.randn(1000, device=DEVICE)
    y = torch.randn(1000, device=DEVICE)
    torch.testing.assert_close(sub(x, y), sub_reference(x, y))
