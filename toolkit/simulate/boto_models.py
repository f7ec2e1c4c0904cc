"""What botocore loads and never changes, kept for many simulated scripts: ``ServiceModels``.

Building a botocore client costs milliseconds (a session, endpoint rules, the service model read from disk), more
than the rest of a simulated execution; the first client of a service can take a quarter of a second. A
``ServiceModels`` keeps, for the simulations that share it:

- one botocore ``Loader`` (service models, endpoints, paginators, waiters, boto3's resource models), whose search
  paths are fixed: botocore's and boto3's own data, never ``~/.aws/models``;
- a template client per (service, region), bounded (the oldest built first out), built once by a template
  session of its own (fake credentials, a configuration read from an empty environment, never the host's). Its
  class has ``SimulatedClient`` as first base, so a call of a client made from it is answered by the
  ``ScriptAws`` the client belongs to (``toolkit.simulate.boto``). Template clients are never handed out: each
  execution gets copies (``ScriptAws.client``) with events of their own, so nothing a script registers reaches
  another execution;
- the conversion plans of responses (which members are timestamps or blobs), per (service, operation), bounded.

Everything kept is immutable once built; building is under a lock, so executions in several threads may share
one. The owner creates it and passes it to ``run_script``; nothing here is a module-level cache. boto3 and
botocore are imported when the first template client or session is built.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from typing import Any, Final

MAX_TEMPLATES: Final = 64
"""Template clients kept by default (a client holds about 100 KB besides its shared service model)."""

MAX_PLANS: Final = 1024
"""Response conversion plans kept by default."""

TEMPLATE_CREDENTIALS: Final = {
    "aws_access_key_id": "ASIASIMULATEDSCRIPT0",
    "aws_secret_access_key": "simulated-secret-access-key",
    "aws_session_token": "simulated-session-token",
}


class SimulatedClient:
    """First base class of every client class a ``ServiceModels`` builds: its calls go to the client's owner.

    ``_simulated`` is the ``ScriptAws`` of the execution that owns the client (None on templates: a template
    cannot call anything)."""

    _simulated: Any = None

    def _make_api_call(self, operation_name: str, api_params: dict[str, Any]) -> Any:
        owner = self._simulated
        if owner is None:
            raise RuntimeError("a template client of the simulator cannot call AWS")
        return owner.answer(self, operation_name, api_params)

    def get_waiter(self, waiter_name: str) -> Any:
        """botocore's waiter, sleeping on the owner's simulated clock."""
        waiter = super().get_waiter(waiter_name)  # type: ignore[misc]
        owner = self._simulated
        if owner is None:
            return waiter
        return owner.waiter(waiter)


def _add_simulated_base(base_classes: list[type], **_: Any) -> None:
    base_classes.insert(0, SimulatedClient)


class ServiceModels:
    """botocore's loaded data and template clients, shared by the simulations given it (see the module doc)."""

    def __init__(self, *, max_templates: int = MAX_TEMPLATES, max_plans: int = MAX_PLANS) -> None:
        self.max_templates = max_templates
        self.max_plans = max_plans
        self._lock = threading.RLock()
        self._loader: Any = None
        self._template_session: Any = None
        self._templates: dict[tuple[str, str], Any] = {}
        self._plans: dict[tuple[str, str], Any] = {}
        self._classes: dict[str, type] = {}

    # -- botocore's data ------------------------------------------------------------------------------------

    @property
    def loader(self) -> Any:
        """The shared botocore ``Loader`` (its search paths cannot be appended to: boto3 tries on each session)."""
        with self._lock:
            if self._loader is None:
                # lazy: boto3 and botocore load only when a script uses AWS
                import boto3
                import botocore.loaders

                class FixedPathsLoader(botocore.loaders.Loader):  # type: ignore[misc]
                    @property
                    def search_paths(self) -> list[str]:
                        return list(self._search_paths)

                boto3_data = os.path.join(os.path.dirname(boto3.__file__), "data")
                self._loader = FixedPathsLoader(
                    extra_search_paths=[botocore.loaders.Loader.BUILTIN_DATA_PATH, boto3_data],
                    include_default_search_paths=False,
                )
            return self._loader

    def template(self, service_name: str, region: str) -> Any:
        """The template client of a service in a region (built on first use)."""
        key = (service_name, region)
        client = self._templates.get(key)
        if client is not None:
            return client
        with self._lock:
            client = self._templates.get(key)
            if client is not None:
                return client
            if self._template_session is None:
                self._template_session = self.botocore_session({})
                self._template_session.register("creating-client-class", _add_simulated_base)
            client = self._template_session.create_client(service_name, region_name=region, **TEMPLATE_CREDENTIALS)
            client.exceptions  # noqa: B018  # built now, under the lock, and shared by every copy
            self._templates[key] = client
            if len(self._templates) > self.max_templates:
                self._templates.pop(next(iter(self._templates)))
            return client

    def plan(self, service: str, operation: str, build: Callable[[], Any]) -> Any:
        """The response conversion plan of an operation (``build`` makes it on first use)."""
        key = (service, operation)
        try:
            return self._plans[key]
        except KeyError:
            pass
        plan = build()
        with self._lock:
            if len(self._plans) >= self.max_plans:
                self._plans.pop(next(iter(self._plans)))
            self._plans[key] = plan
        return plan

    # -- classes built on botocore's, once -------------------------------------------------------------------

    def botocore_session(self, environ: Mapping[str, str], owner: Any = None) -> Any:
        """A new botocore session reading its configuration from ``environ`` (not ``os.environ``), on the shared
        loader; with an ``owner`` (a ``ScriptAws``), every client it creates is one of the owner's."""
        # lazy: botocore loads only when a script uses AWS
        import botocore.configprovider as config
        import botocore.session

        session = self._session_class()()
        session._script_aws = owner
        factory = config.ConfigChainFactory(session=session, environ=dict(environ))
        mapping = {
            name: factory.create_config_chain(
                instance_name=name,
                env_var_names=env_names,
                config_property_names=property_names,
                default=default,
                conversion_func=conversion,
            )
            for name, (property_names, env_names, default, conversion) in (
                config.BOTOCORE_DEFAUT_SESSION_VARIABLES.items()
            )
        }
        session.register_component("config_store", config.ConfigValueStore(mapping=mapping))
        session.register_component("data_loader", self.loader)
        assert isinstance(session, botocore.session.Session)
        return session

    def _session_class(self) -> type:
        with self._lock:
            found = self._classes.get("session")
            if found is None:
                # lazy: botocore loads only when a script uses AWS
                import botocore.session

                class ExecutionSession(botocore.session.Session):  # type: ignore[misc]
                    """A botocore session whose clients belong to one execution (when it has an owner)."""

                    _script_aws: Any = None

                    def create_client(self, service_name: str, region_name: str | None = None, **options: Any) -> Any:
                        owner = self._script_aws
                        if owner is None:
                            return super().create_client(service_name, region_name, **options)
                        return owner.client(service_name, region_name or self.get_config_variable("region"), **options)

                found = self._classes["session"] = ExecutionSession
            return found

    def refusing_http_session_class(self, refuse: Callable[[Any], Any]) -> type:
        """botocore's ``URLLib3Session`` whose ``send`` calls ``refuse(request)`` (which raises)."""
        # lazy: botocore loads only when a script uses AWS
        import botocore.httpsession

        def send(http_session: Any, request: Any) -> Any:
            return refuse(request)

        return type("URLLib3Session", (botocore.httpsession.URLLib3Session,), {"send": send})
