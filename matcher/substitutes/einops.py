class _einops:
    """tritonpile's stand-in for einops (rearrange, repeat, reduce, einsum) on torch tensors,
    which the validation environment lacks.

    A pattern names each side's axes: `b (h d) -> b h d`, `... d -> ... 1 d`, `b n -> b n r`
    with r given as a keyword. The input is reshaped to its elementary axes, reduced over the
    axes the output lacks, permuted into the output's order, expanded by the axes only the
    output has, and reshaped into the output's groups, as einops does.
    """

    _REDUCTIONS = {"sum", "mean", "max", "min", "prod", "any", "all"}

    @staticmethod
    def _items(side):
        """A side's axes, each a group (tuple of names): `b (h d) ...` -> [(b,), (h, d), (...,)]."""
        items, group = [], None
        for token in side.replace("(", " ( ").replace(")", " ) ").split():
            if token == "(":
                if group is not None:
                    raise ValueError(f"nested brackets in {side!r}")
                group = []
            elif token == ")":
                if group is None:
                    raise ValueError(f"unbalanced brackets in {side!r}")
                items.append(tuple(group))
                group = None
            elif group is not None:
                group.append(token)
            else:
                items.append((token,))
        if group is not None:
            raise ValueError(f"unbalanced brackets in {side!r}")
        return items

    @staticmethod
    def _expand_ellipsis(items, names):
        out = []
        for group in items:
            if "..." in group:
                at = group.index("...")
                if len(group) == 1:
                    out.extend((name,) for name in names)
                else:
                    out.append(group[:at] + tuple(names) + group[at + 1:])
            else:
                out.append(group)
        return out

    @staticmethod
    def _unique_numbers(items, prefix):
        """Numbers (`1`, `2`) are anonymous axes of that length: a name of their own each."""
        out, sizes, count = [], {}, 0
        for group in items:
            renamed = []
            for name in group:
                if name.isdigit():
                    anonymous = f"{prefix}{count}"
                    count += 1
                    sizes[anonymous] = int(name)
                    renamed.append(anonymous)
                else:
                    renamed.append(name)
            out.append(tuple(renamed))
        return out, sizes

    @staticmethod
    def _apply(tensor, pattern, reduction, sizes):
        import math
        import torch

        if isinstance(tensor, (list, tuple)):
            tensor = torch.stack(list(tensor))
        if "->" not in pattern:
            raise ValueError(f"pattern {pattern!r} has no '->'")
        left_text, right_text = pattern.split("->")
        left, right = _einops._items(left_text), _einops._items(right_text)
        explicit = sum(1 for group in left if group != ("...",))
        has_ellipsis = any("..." in group for group in left)
        if any("..." in group and len(group) > 1 for group in left):
            raise ValueError(f"an ellipsis inside brackets on the left of {pattern!r}")
        if (has_ellipsis and tensor.dim() < explicit) or (not has_ellipsis and tensor.dim() != explicit):
            raise ValueError(f"pattern {pattern!r} does not fit a tensor of shape {tuple(tensor.shape)}")
        ellipsis = [f"\u2026{i}" for i in range(tensor.dim() - explicit)] if has_ellipsis else []
        left = _einops._expand_ellipsis(left, ellipsis)
        right = _einops._expand_ellipsis(right, ellipsis)
        left, known_left = _einops._unique_numbers(left, "\u00b7left")
        right, known_right = _einops._unique_numbers(right, "\u00b7right")
        known = dict(sizes)
        known.update(known_left)
        for group, length in zip(left, tensor.shape):
            unknown = [name for name in group if name not in known]
            product = math.prod(known[name] for name in group if name in known)
            if len(unknown) > 1:
                raise ValueError(f"cannot infer the sizes of {unknown} in {pattern!r}")
            if unknown:
                if product == 0 or length % product:
                    raise ValueError(f"cannot divide axis of length {length} into {group} in {pattern!r}")
                known[unknown[0]] = length // product
            elif product != length:
                raise ValueError(f"axis {group} has length {length}, not {product}, in {pattern!r}")
        # An anonymous axis of length 1 on the left (`b 1 d -> b d`) is dropped, not reduced.
        elementary = [name for group in left for name in group
                      if not (name in known_left and known_left[name] == 1)]
        x = tensor.reshape([known[name] for name in elementary])
        wanted = [name for group in right for name in group]
        gone = [name for name in elementary if name not in wanted]
        if gone:
            if reduction is None:
                raise ValueError(f"axes {gone} of {pattern!r} are not on the right")
            axes = [elementary.index(name) for name in gone]
            x = _einops._reduce_axes(x, axes, reduction)
            elementary = [name for name in elementary if name not in gone]
        kept = [name for name in wanted if name in elementary]
        x = x.permute([elementary.index(name) for name in kept])
        known.update(known_right)
        new = [name for name in wanted if name not in elementary]
        for name in new:
            if name not in known:
                raise ValueError(f"the size of new axis {name!r} in {pattern!r} is not given")
        if new:
            x = x.reshape([known[name] if name in elementary else 1 for name in wanted])
            x = x.expand([known[name] for name in wanted])
        return x.reshape([math.prod(known[name] for name in group) for group in right])

    @staticmethod
    def _reduce_axes(x, axes, reduction):
        if callable(reduction):
            return reduction(x, tuple(axes))
        if reduction not in _einops._REDUCTIONS:
            raise ValueError(f"unknown reduction {reduction!r}")
        if reduction in ("sum", "mean", "max", "min"):
            method = {"sum": "sum", "mean": "mean", "max": "amax", "min": "amin"}[reduction]
            return getattr(x, method)(dim=tuple(axes))
        for axis in sorted(axes, reverse=True):  # torch reduces these over one axis at a time
            x = getattr(x, reduction)(axis)
        return x

    @staticmethod
    def rearrange(tensor, pattern, **axes_lengths):
        return _einops._apply(tensor, pattern, None, axes_lengths)

    @staticmethod
    def repeat(tensor, pattern, **axes_lengths):
        return _einops._apply(tensor, pattern, None, axes_lengths)

    @staticmethod
    def reduce(tensor, pattern, reduction, **axes_lengths):
        return _einops._apply(tensor, pattern, reduction, axes_lengths)

    @staticmethod
    def einsum(*tensors_and_pattern):
        """einops.einsum(a, b, "b i d, b j d -> b i j"): axis names of any length."""
        import torch

        *tensors, pattern = tensors_and_pattern
        left_text, right_text = pattern.split("->")
        letters = {}

        def spell(side):
            out = ""
            for name in side.split():
                if name == "...":
                    out += "..."
                    continue
                if name not in letters:
                    letters[name] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(letters)]
                out += letters[name]
            return out

        inputs = ",".join(spell(operand) for operand in left_text.split(","))
        return torch.einsum(f"{inputs}->{spell(right_text)}", *tensors)
