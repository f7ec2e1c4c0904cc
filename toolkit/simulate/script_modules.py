"""What a simulated script sees as ``time``, ``os``, ``sys``, ``boto3``, ``botocore`` and ``print``: its execution's.

``ScriptModules`` makes the builtins of one script run: a copy of Python's, with its own ``__import__`` and
``print``. Nothing process-wide is patched; only code whose globals are the script's sees these:

- ``import time`` (and ``from time import sleep``) gives a module whose ``sleep``, ``time`` and ``monotonic``
  are the execution's clock; every other name is the real module's.
- ``import os`` gives a module whose ``environ``, ``getenv``, ``putenv`` and ``unsetenv`` are the execution's
  environment: the process's minus every ``AWS_*`` variable, plus the execution's region and fake credentials
  (``toolkit.simulate.boto.environment``); what the script sets there stays in the execution.
- ``import sys``: ``sys.stdout`` and ``sys.stderr`` are the execution's output; ``print`` writes there too.
- ``import boto3`` / ``import boto3.session`` / ``from boto3 import client``: ``client``, ``resource``,
  ``Session``, ``session.Session``, ``setup_default_session`` and ``DEFAULT_SESSION`` are the execution's
  (``ScriptAws``, built on the first such import, so a script that never imports boto3 never loads it).
  ``import botocore.session``: ``get_session()`` and ``Session()`` give the execution's botocore session;
  ``botocore.httpsession.URLLib3Session`` refuses to send. Everything else (``botocore.exceptions.ClientError``
  above all) is the real module's, so ``except ClientError`` catches what the execution's clients raise.

Importing a real module is the simulator's work, like building a client: it runs outside the script's CPU budget
(``outside_budget``), neither counted nor interrupted by the runaway stop, so loading boto3 costs the script nothing.
Modules the script imports keep the real ``time``, ``os`` and ``sys``: a library that sleeps really sleeps, a
``logging`` handler writes where the process's logging goes. So does ``importlib.import_module``.
"""

from __future__ import annotations

import builtins
import io
import os
import sys
import time
import types
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from toolkit.simulate.boto import ScriptAws, environment

_real_import = builtins.__import__


def _module(real: types.ModuleType, own: Mapping[str, Any]) -> types.ModuleType:
    """A module of the script's: ``own`` names, then the real module's for anything else."""
    module = types.ModuleType(real.__name__, real.__doc__)
    module.__dict__.update(own)
    module.__dict__["__getattr__"] = lambda name: getattr(real, name)
    return module


class ScriptModules:
    """One script run's builtins and the modules they import (see the module doc)."""

    def __init__(
        self,
        *,
        output: io.StringIO,
        sleep: Callable[[object], None],
        now: Callable[[], float],
        monotonic: Callable[[], float],
        region: str,
        aws: Callable[[], ScriptAws],
        outside_budget: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        self.output = output
        self.sleep = sleep
        self.now = now
        self.monotonic = monotonic
        self.region = region
        self._aws_factory = aws
        self.outside_budget = outside_budget
        """Wraps the real import: loading a library is the simulator's work, neither counted nor interrupted."""
        self.aws: ScriptAws | None = None
        """The execution's AWS, once the script imported boto3 or botocore."""
        self._modules: dict[str, types.ModuleType] = {}
        self._environ: dict[str, str] | None = None

    def builtins(self) -> dict[str, Any]:
        own = dict(builtins.__dict__)
        own["__import__"] = self.import_
        own["print"] = self.print_
        return own

    def print_(
        self, *values: object, sep: str | None = " ", end: str | None = "\n", file: Any = None, flush: bool = False
    ) -> None:
        print(*values, sep=sep, end=end, file=self.output if file is None else file, flush=flush)

    def import_(
        self,
        name: str,
        globals: Mapping[str, object] | None = None,  # __import__'s own names
        locals: Mapping[str, object] | None = None,
        fromlist: tuple[str, ...] | list[str] | None = (),
        level: int = 0,
    ) -> types.ModuleType:
        module: types.ModuleType
        loaded = None if level else sys.modules.get(name)
        if loaded is not None and (not fromlist or all(hasattr(loaded, item) for item in fromlist)):
            # loaded, and so is every name it gives: no module code can run
            module = _real_import(name, globals, locals, fromlist or (), 0)
        else:
            with self.outside_budget():
                module = _real_import(name, globals, locals, fromlist or (), level)
        if level:
            return module
        own = self.module(name if fromlist else name.partition(".")[0])
        return module if own is None else own

    def module(self, name: str) -> types.ModuleType | None:
        """The script's own module of that name, or None where the script sees the real one."""
        found = self._modules.get(name)
        if found is None:
            build = _BUILDERS.get(name)
            if build is None:
                return None
            found = self._modules[name] = build(self)
        return found

    # -- the execution's environment ------------------------------------------------------------------------

    def environ(self) -> dict[str, str]:
        if self._environ is None:
            self._environ = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
            self._environ.update(environment(self.region))
        return self._environ

    def _aws(self) -> ScriptAws:
        if self.aws is None:
            self.aws = self._aws_factory()
        return self.aws

    def close(self) -> None:
        """The script ended: its AWS is closed (``ScriptAws.close``), a module imported from now on (by a thread
        the script left running) gets no AWS of this execution, and the script's own modules are emptied (their
        functions refer to them: garbage only the collector frees, freed at once once empty)."""
        if self.aws is not None:
            self.aws.close()
        self._aws_factory = _no_aws
        for module in self._modules.values():
            module.__dict__.clear()
        self._modules.clear()


def _no_aws() -> ScriptAws:
    from toolkit.simulate.boto import NetworkRefused  # lazy: only a thread that outlived its script gets here

    raise NetworkRefused("boto3 was imported after its simulated script ended")


def _time(own: ScriptModules) -> types.ModuleType:
    return _module(time, {"sleep": own.sleep, "time": own.now, "monotonic": own.monotonic})


def _os(own: ScriptModules) -> types.ModuleType:
    environ = own.environ()

    def getenv(key: str, default: str | None = None) -> str | None:
        return environ.get(key, default)

    def putenv(key: str, value: str) -> None:
        environ[key] = value

    def unsetenv(key: str) -> None:
        environ.pop(key, None)

    return _module(os, {"environ": environ, "getenv": getenv, "putenv": putenv, "unsetenv": unsetenv})


def _sys(own: ScriptModules) -> types.ModuleType:
    return _module(sys, {"stdout": own.output, "stderr": own.output})


def _boto3(own: ScriptModules) -> types.ModuleType:
    # lazy: boto3 loads only when the script imports it
    import boto3

    aws = own._aws()
    session_module = own.module("boto3.session")
    assert session_module is not None
    session_class = session_module.Session
    module = _module(boto3, {"Session": session_class, "session": session_module, "DEFAULT_SESSION": None})

    def default() -> Any:
        session = module.__dict__["DEFAULT_SESSION"]
        if session is None:
            session = module.__dict__["DEFAULT_SESSION"] = aws.session()
        return session

    def setup_default_session(**kwargs: Any) -> None:
        module.__dict__["DEFAULT_SESSION"] = aws.session(**kwargs)

    def client(*args: Any, **kwargs: Any) -> Any:
        return default().client(*args, **kwargs)

    def resource(*args: Any, **kwargs: Any) -> Any:
        return default().resource(*args, **kwargs)

    module.__dict__.update(
        client=client, resource=resource, setup_default_session=setup_default_session, _get_default_session=default
    )
    return module


def _boto3_session(own: ScriptModules) -> types.ModuleType:
    # lazy: boto3 loads only when the script imports it
    import boto3.session

    aws = own._aws()

    def session(*args: Any, **kwargs: Any) -> Any:
        return aws.session(*args, **kwargs)

    return _module(boto3.session, {"Session": session})


def _botocore(own: ScriptModules) -> types.ModuleType:
    # lazy: botocore loads only when the script imports it
    import botocore

    session = own.module("botocore.session")
    httpsession = own.module("botocore.httpsession")
    return _module(botocore, {"session": session, "httpsession": httpsession})


def _botocore_session(own: ScriptModules) -> types.ModuleType:
    # lazy: botocore loads only when the script imports it
    import botocore.session

    aws = own._aws()

    def get_session(env_vars: Any = None) -> Any:
        return aws.botocore_session()

    def session(*args: Any, **kwargs: Any) -> Any:
        return aws.botocore_session()

    return _module(botocore.session, {"get_session": get_session, "Session": session})


def _botocore_httpsession(own: ScriptModules) -> types.ModuleType:
    # lazy: botocore loads only when the script imports it
    import botocore.httpsession

    return _module(botocore.httpsession, {"URLLib3Session": own._aws().refusing_http_session()})


_BUILDERS: dict[str, Callable[[ScriptModules], types.ModuleType]] = {
    "time": _time,
    "os": _os,
    "sys": _sys,
    "boto3": _boto3,
    "boto3.session": _boto3_session,
    "botocore": _botocore,
    "botocore.session": _botocore_session,
    "botocore.httpsession": _botocore_httpsession,
}
"""The modules a script sees as its execution's, by the name it imports (a constant table, not a cache)."""
