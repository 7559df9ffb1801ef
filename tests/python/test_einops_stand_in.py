"""The stand-in the matcher inlines for einops computes what einops computes."""
import pathlib

import einops
import pytest
import torch

STAND_IN = pathlib.Path(__file__).resolve().parents[2] / "matcher" / "substitutes" / "einops.py"

# (function, input shapes, pattern, keyword sizes): the forms the crawled repositories use.
CASES = [
    ("rearrange", [(2, 3, 4)], "b n d -> b d n", {}),
    ("rearrange", [(2, 12, 5)], "b (h d) n -> b h d n", {"h": 3}),
    ("rearrange", [(2, 3, 4, 5)], "b h n d -> b n (h d)", {}),
    ("rearrange", [(2, 3, 4, 5)], "b t h d -> (b t) h d", {}),
    ("rearrange", [(6, 4, 5)], "(b t) h d -> b t h d", {"b": 2}),
    ("rearrange", [(2, 3, 4, 5)], "... d -> ... 1 d", {}),
    ("rearrange", [(2, 3, 4, 5)], "b ... d -> b d ...", {}),
    ("rearrange", [(2, 1, 4)], "b 1 d -> b d", {}),
    ("rearrange", [(2, 3, 4)], "b n d -> b n d 1", {}),
    ("rearrange", [(2, 3, 16)], "b n (c k) -> b n c k", {"k": 4}),
    ("rearrange", [(2, 24, 5)], "b (n c) d -> b n c d", {"c": 8}),
    ("rearrange", [(4, 6)], "n (h d) -> h n d", {"d": 2}),
    ("rearrange", [(2, 3, 4), (2, 3, 4)], "s b n d -> b n (s d)", {}),
    ("rearrange", [(2, 3, 4, 5, 6)], "b c t h w -> (b t) c h w", {}),
    ("rearrange", [(5,)], "n -> n 1", {}),
    ("rearrange", [(2, 3, 4)], "... -> ...", {}),
    ("repeat", [(2, 3)], "b d -> b n d", {"n": 4}),
    ("repeat", [(3, 4, 5)], "b h d -> b (h g) d", {"g": 2}),
    ("repeat", [(3, 4, 5)], "b h d -> b (g h) d", {"g": 2}),
    ("repeat", [(4,)], "d -> b d", {"b": 3}),
    ("repeat", [(2, 3, 4)], "b n d -> b n d 2", {}),
    ("repeat", [(2, 3)], "... d -> ... (d r)", {"r": 3}),
    ("reduce", [(2, 3, 4)], "b n d -> b d", {"reduction": "mean"}),
    ("reduce", [(2, 3, 4)], "b n d -> b", {"reduction": "sum"}),
    ("reduce", [(2, 12)], "b (n c) -> b n", {"reduction": "max", "c": 4}),
    ("reduce", [(2, 12)], "b (n c) -> b n 1", {"reduction": "min", "c": 4}),
    ("reduce", [(2, 3, 4)], "b n d -> b n", {"reduction": "prod"}),
]


@pytest.fixture(scope="module")
def stand_in():
    namespace = {}
    exec(compile(STAND_IN.read_text(), str(STAND_IN), "exec"), namespace)
    return namespace["_einops"]


@pytest.mark.parametrize("function, shapes, pattern, sizes", CASES, ids=[case[2] for case in CASES])
def test_computes_what_einops_computes(stand_in, function, shapes, pattern, sizes):
    generator = torch.Generator().manual_seed(0)
    tensors = [torch.randn(shape, generator=generator) for shape in shapes]
    argument = tensors if len(tensors) > 1 else tensors[0]
    sizes = dict(sizes)
    if function == "reduce":
        reduction = sizes.pop("reduction")
        expected = einops.reduce(argument, pattern, reduction, **sizes)
        actual = stand_in.reduce(argument, pattern, reduction, **sizes)
    else:
        expected = getattr(einops, function)(argument, pattern, **sizes)
        actual = getattr(stand_in, function)(argument, pattern, **sizes)
    assert actual.shape == expected.shape
    assert torch.equal(actual, expected)


def test_einsum_takes_names_of_any_length(stand_in):
    a, b = torch.randn(2, 3, 5), torch.randn(2, 4, 5)
    pattern = "batch i dim, batch j dim -> batch i j"
    assert torch.allclose(stand_in.einsum(a, b, pattern), einops.einsum(a, b, pattern))


@pytest.mark.parametrize("function, shape, pattern, sizes", [
    ("rearrange", (2, 3), "b n d -> b d n", {}),
    ("rearrange", (2, 7), "b (h d) -> b h d", {"h": 3}),
    ("rearrange", (2, 3, 4), "b n d -> b d", {}),
    ("repeat", (2, 3), "b d -> b n d", {}),
])
def test_refuses_what_einops_refuses(stand_in, function, shape, pattern, sizes):
    tensor = torch.randn(shape)
    with pytest.raises(einops.EinopsError):
        getattr(einops, function)(tensor, pattern, **sizes)
    with pytest.raises(ValueError):
        getattr(stand_in, function)(tensor, pattern, **sizes)
