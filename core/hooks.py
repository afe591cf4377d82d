"""Extension points: a lower app names what it lets others do, an upper app registers.

Upper apps register in their `AppConfig.ready()`, so a lower app never imports the apps built
on it, and every dependency is an import going downward that readers and tools can see.
"""


class Hook:
    """An ordered list of callables, each registered once."""

    def __init__(self, doc: str):
        self.__doc__ = doc
        self._callables: list = []

    def register(self, function):
        if function not in self._callables:
            self._callables.append(function)
        return function

    def __iter__(self):
        return iter(list(self._callables))

    def __bool__(self):
        return bool(self._callables)

    def collect(self, *args, **kwargs) -> list:
        """Every registered callable's result, flattened when they return lists."""
        results = []
        for function in self._callables:
            result = function(*args, **kwargs)
            if isinstance(result, list):
                results += result
            elif result is not None:
                results.append(result)
        return results


class HookTable:
    """Hooks by name, for a family of extension points (one per transition, say)."""

    def __init__(self, doc: str):
        self.__doc__ = doc
        self._hooks: dict[str, Hook] = {}

    def __getitem__(self, name: str) -> Hook:
        if name not in self._hooks:
            self._hooks[name] = Hook(f"{self.__doc__} ({name})")
        return self._hooks[name]


class Panel:
    """A section an upper app adds to a lower app's page: a template and its context."""

    def __init__(self, template: str, **context):
        self.template = template
        self.context = context


class Link:
    """A button an upper app adds to a lower app's page."""

    def __init__(self, label, url: str, *, primary: bool = False, download: bool = False):
        self.label = label
        self.url = url
        self.primary = primary
        self.download = download
