"""The import hook both bench probes share (bench/native/*_probe/sitecustomize.py):
call a function on a module right after the module has been executed, without
touching the project's code. The finder stays first on sys.meta_path, because
cocotb puts pytest's assertion-rewriting finder in front of the others."""

import sys


class AfterImport:
    """Meta-path finder: for a hooked module, asks the other finders for the
    spec and wraps its loader; each hook runs once."""

    def __init__(self, hooks):
        self.hooks = dict(hooks)  # {module name: function(module)}

    def find_spec(self, name, path, target=None):
        if name not in self.hooks:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None:
                    self._wrap(spec.loader)
                return spec
        return None

    def _wrap(self, loader):
        if getattr(loader, "_probe_wrapped", False):  # a loader may serve several modules
            return
        run = loader.exec_module

        def exec_module(module):
            run(module)
            hook = self.hooks.pop(module.__name__, None)
            if hook is not None:
                hook(module)

        try:
            loader.exec_module, loader._probe_wrapped = exec_module, True
        except AttributeError:
            pass

    def _keep_first(self, event, args):
        if event == "import" and sys.meta_path and sys.meta_path[0] is not self:
            if self in sys.meta_path:
                sys.meta_path.remove(self)
            sys.meta_path.insert(0, self)

    def install(self):
        sys.meta_path.insert(0, self)
        sys.addaudithook(self._keep_first)
