class _packaging_version:
    """tritonpile's stand-in for packaging.version, which the validation environment lacks.

    Repositories read it only to compare library versions (triton >= 3.4, torch >= 2.4): PEP 440
    ordering of epoch, release, pre-, post- and dev-release and local label is what they rely on.
    """

    class InvalidVersion(ValueError):
        pass

    class Version:
        _PATTERN = __import__("re").compile(
            r"v?(?:(\d+)!)?(\d+(?:\.\d+)*)"
            r"(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?"
            r"(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d*))?"
            r"(?:[-_.]?(dev)[-_.]?(\d*))?"
            r"(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?",
            __import__("re").IGNORECASE,
        )
        _PRE = {"a": "a", "alpha": "a", "b": "b", "beta": "b", "c": "rc", "rc": "rc", "pre": "rc", "preview": "rc"}

        def __init__(self, text):
            match = self._PATTERN.fullmatch(str(text).strip())
            if not match:
                raise _packaging_version.InvalidVersion(f"Invalid version: {text!r}")
            epoch, release, pre_l, pre_n, post_implicit, post_l, post_n, dev_l, dev_n, local = match.groups()
            self.epoch = int(epoch or 0)
            self.release = tuple(int(part) for part in release.split("."))
            self.pre = (self._PRE[pre_l.lower()], int(pre_n or 0)) if pre_l else None
            has_post = post_implicit is not None or post_l is not None
            self.post = int(post_implicit or post_n or 0) if has_post else None
            self.dev = int(dev_n or 0) if dev_l else None
            self.local = local.lower().replace("-", ".").replace("_", ".") if local else None

        def _key(self):
            release = list(self.release)
            while len(release) > 1 and release[-1] == 0:
                release.pop()
            if self.pre is None and self.post is None and self.dev is not None:
                pre = (-1, "", 0)
            elif self.pre is None:
                pre = (1, "", 0)
            else:
                pre = (0,) + self.pre
            post = (-1, 0) if self.post is None else (0, self.post)
            dev = (1, 0) if self.dev is None else (0, self.dev)
            local = () if self.local is None else tuple(
                (1, int(part), "") if part.isdigit() else (0, 0, part) for part in self.local.split("."))
            return (self.epoch, tuple(release), pre, post, dev, (self.local is not None, local))

        @property
        def major(self):
            return self.release[0]

        @property
        def minor(self):
            return self.release[1] if len(self.release) > 1 else 0

        @property
        def micro(self):
            return self.release[2] if len(self.release) > 2 else 0

        @property
        def base_version(self):
            return (f"{self.epoch}!" if self.epoch else "") + ".".join(str(part) for part in self.release)

        @property
        def public(self):
            text = self.base_version
            if self.pre is not None:
                text += f"{self.pre[0]}{self.pre[1]}"
            if self.post is not None:
                text += f".post{self.post}"
            if self.dev is not None:
                text += f".dev{self.dev}"
            return text

        @property
        def is_prerelease(self):
            return self.pre is not None or self.dev is not None

        @property
        def is_devrelease(self):
            return self.dev is not None

        @property
        def is_postrelease(self):
            return self.post is not None

        def __str__(self):
            return self.public + (f"+{self.local}" if self.local is not None else "")

        def __repr__(self):
            return f"<Version('{self}')>"

        def __hash__(self):
            return hash(self._key())

        def _compare(self, other, test):
            if not isinstance(other, type(self)):
                return NotImplemented
            return test(self._key(), other._key())

        def __lt__(self, other):
            return self._compare(other, lambda a, b: a < b)

        def __le__(self, other):
            return self._compare(other, lambda a, b: a <= b)

        def __eq__(self, other):
            return self._compare(other, lambda a, b: a == b)

        def __ne__(self, other):
            return self._compare(other, lambda a, b: a != b)

        def __gt__(self, other):
            return self._compare(other, lambda a, b: a > b)

        def __ge__(self, other):
            return self._compare(other, lambda a, b: a >= b)

    @staticmethod
    def parse(text):
        return _packaging_version.Version(text)
