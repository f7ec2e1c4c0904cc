"""botocore's AWS service models, read as data: which services and operations exist, and their shapes.

aws:executeAwsApi and its two siblings name a boto3 client (``Service``), one of its operations (``Api``) and the
operation's parameters; the linter checks them against the ``service-2.json.gz`` models that botocore ships,
without importing botocore (its loaders cost tens of milliseconds). The data folder is found with
``importlib.util.find_spec``; a service's newest API version is read, with its ``sdk-extras`` merged as botocore
does, and reduced to what the linter needs: operations, and per shape its kind, members, required members and
element shape. Only the services a document names are loaded, once per process.

Reading the full JSON of a big model is slow (ec2: about 30 ms), so the reduced form is kept on disk with
``marshal``, one file per service under the user's cache folder, named after the source files' size and mtime
(a botocore upgrade gives new names) and written atomically; when the folder is not writable the models are
simply read from botocore every time. What costs time on a first run (an empty cache) is done only for what a
document uses: each shape is kept as botocore wrote it (marshalled on its own) and reduced when first read, and
boto3's snake_case names are worked out only when an Api is not found under its PascalCase name.

Read first, when it holds the service: the index the installation built (``build_index``, run by the Makefile's
install step as ``python -m toolkit.aws.models index``), ``models.index`` beside this module: a table (service ->
API version, the model files' key as the cache names it, offset, length) and every service's reduced form, so a
service loads with one seek and one ``marshal.loads`` (ec2: ~3 ms) and a first run parses no JSON. The table is
keyed by the index's layout, ``FORMAT``, the Python's cache tag, botocore's ``__version__`` and its data folder;
another botocore (or a changed model file, its entry's key) is never answered from it: that service is read from
the cache or botocore's files, as without an index. Why an explicit step and not a setuptools hook: the README.
"""

from __future__ import annotations

import enum
import importlib.util
import json
import marshal
import os
import re
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Final, NamedTuple, TypeAlias

from toolkit.errors import WriteError
from toolkit.files import write_atomic
from toolkit.model.values import JSON
from toolkit.records import Record

FORMAT: Final = 4
"""The reduced form's layout; bump it when the layout changes."""
INDEX_FORMAT: Final = 1
"""The install-time index's layout (its header; each service in it is in the reduced form of ``FORMAT``)."""
INDEX_FILE: Final = "models.index"

STREAMING: Final = 1
"""Operation flag: a streaming body in or out (aws:executeAwsApi does not support those)."""
UNION: Final = 1
"""Shape flag: a tagged union, exactly one member of which must be set."""

SERVICE_ALIASES: Final = {"runtime.sagemaker": "sagemaker-runtime"}
"""Client names boto3 itself resolves to another service (botocore.utils.SERVICE_NAME_ALIASES)."""

# Members botocore fills in before it validates the parameters, so they are not required from the caller.
_INJECTED: Final = {"glacier": frozenset({"accountId"})}

# botocore.xform_name: the regular conversion, plus the names it special-cases (botocore/__init__.py), written
# here as "OperationName method_name" pairs.
_FIRST_CAP: Final = re.compile(r"(.)([A-Z][a-z]+)")
_END_CAP: Final = re.compile(r"([a-z0-9])([A-Z])")
_PLURAL_ACRONYM: Final = re.compile(r"[A-Z]{2,}s$")
_IRREGULAR_PAIRS: Final = """
CreateCachediSCSIVolume create_cached_iscsi_volume   DescribeCachediSCSIVolumes describe_cached_iscsi_volumes
DescribeStorediSCSIVolumes describe_stored_iscsi_volumes   CreateStorediSCSIVolume create_stored_iscsi_volume
ListHITsForQualificationType list_hits_for_qualification_type   ExecutePartiQLStatement execute_partiql_statement
ExecutePartiQLTransaction execute_partiql_transaction   ExecutePartiQLBatch execute_partiql_batch
CreateOAuth2Token create_oauth2_token   CreateOAuth2TokenWithIAM create_oauth2_token_with_iam
IntrospectOAuth2TokenWithIAM introspect_oauth2_token_with_iam
RevokeOAuth2TokenWithIAM revoke_oauth2_token_with_iam
AssociateWhatsAppBusinessAccount associate_whatsapp_business_account
CreateWhatsAppDataset create_whatsapp_dataset   CreateWhatsAppFlow create_whatsapp_flow
CreateWhatsAppMessageTemplate create_whatsapp_message_template
CreateWhatsAppMessageTemplateFromLibrary create_whatsapp_message_template_from_library
CreateWhatsAppMessageTemplateMedia create_whatsapp_message_template_media
DeleteWhatsAppFlow delete_whatsapp_flow   DeleteWhatsAppMessageMedia delete_whatsapp_message_media
DeleteWhatsAppMessageTemplate delete_whatsapp_message_template   DeprecateWhatsAppFlow deprecate_whatsapp_flow
DisassociateWhatsAppBusinessAccount disassociate_whatsapp_business_account
GetLinkedWhatsAppBusinessAccount get_linked_whatsapp_business_account
GetLinkedWhatsAppBusinessAccountPhoneNumber get_linked_whatsapp_business_account_phone_number
GetOTelEnrichment get_otel_enrichment   GetWhatsAppBusinessPublicKey get_whatsapp_business_public_key
GetWhatsAppCallPermission get_whatsapp_call_permission   GetWhatsAppFlow get_whatsapp_flow
GetWhatsAppFlowPreview get_whatsapp_flow_preview   GetWhatsAppMessageMedia get_whatsapp_message_media
GetWhatsAppMessageTemplate get_whatsapp_message_template
ListLinkedWhatsAppBusinessAccounts list_linked_whatsapp_business_accounts
ListWhatsAppFlowAssets list_whatsapp_flow_assets   ListWhatsAppFlows list_whatsapp_flows
ListWhatsAppMessageTemplates list_whatsapp_message_templates
ListWhatsAppTemplateLibrary list_whatsapp_template_library   PostWhatsAppMessageMedia post_whatsapp_message_media
PublishWhatsAppFlow publish_whatsapp_flow   PutWhatsAppBusinessPublicKey put_whatsapp_business_public_key
PutWhatsAppBusinessAccountEventDestinations put_whatsapp_business_account_event_destinations
SendWhatsAppConversionEvent send_whatsapp_conversion_event   SendWhatsAppMessage send_whatsapp_message
SendWhatsAppCallEvent send_whatsapp_call_event   StartOTelEnrichment start_otel_enrichment
StopOTelEnrichment stop_otel_enrichment   UpdateOTelEnrichment update_otel_enrichment
UpdateWhatsAppFlow update_whatsapp_flow   UpdateWhatsAppFlowAssets update_whatsapp_flow_assets
UpdateLinkedWhatsAppBusinessAccountPhoneNumber update_linked_whatsapp_business_account_phone_number
UpdateWhatsAppMessageTemplate update_whatsapp_message_template
"""


@cache
def _irregular() -> dict[str, str]:
    words = _IRREGULAR_PAIRS.split()
    return dict(zip(words[::2], words[1::2], strict=True))


def xform_name(name: str) -> str:
    """boto3's method name for an operation name: ``DescribeDBInstances`` -> ``describe_db_instances``.

    As botocore.xform_name: a name holding ``_`` is already converted and is returned unchanged.
    """
    if "_" in name:
        return name
    irregular = _irregular()
    if name in irregular:
        return irregular[name]
    plural = _PLURAL_ACRONYM.search(name)
    if plural is not None:
        name = f"{name[: -len(plural.group())]}_{plural.group().lower()}"
    return _END_CAP.sub(r"\1_\2", _FIRST_CAP.sub(r"\1_\2", name)).lower()


# -- the reduced model ------------------------------------------------------------------------------------


class Shape(NamedTuple):
    """One shape: ``kind`` is botocore's type (structure, list, map, string, integer, long, boolean, float,
    double, timestamp, blob) or ``document`` (any JSON); ``members`` maps a structure's member names to shape
    names; ``target`` is a list's element shape or a map's value shape."""

    kind: str
    members: dict[str, str]
    required: tuple[str, ...]
    target: str
    flags: int

    @property
    def union(self) -> bool:
        return bool(self.flags & UNION)


class Operation(NamedTuple):
    name: str
    input: str
    """The input shape's name, or "" when the operation takes no parameters."""
    output: str
    """The output shape's name, or "" when the response holds only ResponseMetadata."""
    flags: int

    @property
    def streaming(self) -> bool:
        return bool(self.flags & STREAMING)


ShapeRow: TypeAlias = tuple[str, dict[str, str], tuple[str, ...], str, int]
OperationRow: TypeAlias = tuple[str, str, int]
IndexEntry: TypeAlias = tuple[str, str, int, int]
"""A service in the index: (API version, its files' key, offset of its reduced form, length)."""
Reduced: TypeAlias = tuple[int, str, str, dict[str, OperationRow], dict[str, bytes]]
"""(FORMAT, service, api version, operations, shapes).

Each shape is kept as botocore's model has it, marshalled on its own, and decoded and reduced when first used: a
document touches a few dozen of ec2's 4,000 shapes, and decoding or reducing them all would cost more than the rest
of the lint.
"""

JSON_MEMBER: Final = "#json"
RESPONSE_METADATA: Final = "#ResponseMetadata"
# Shapes every model shares: a JSON-valued member, and the ResponseMetadata boto3 adds to every response.
_BUILTIN: Final[dict[str, ShapeRow]] = {
    JSON_MEMBER: ("document", {}, (), "", 0),
    RESPONSE_METADATA: (
        "structure",
        {"RequestId": "#string", "HTTPStatusCode": "#integer", "HTTPHeaders": "#headers", "RetryAttempts": "#integer"},
        (),
        "",
        0,
    ),
    "#string": ("string", {}, (), "", 0),
    "#integer": ("integer", {}, (), "", 0),
    "#headers": ("map", {}, (), "#string", 0),  # header names are never member names: "..name" skips it
}


class ServiceModel(Record):
    """The operations and shapes of one service, as the linter needs them.

    A frozen record (``toolkit.records``: no dataclass to create at a cold start) over its first four fields, as
    the frozen dataclass it was: ``decoded``, ``snake`` and ``reach`` are its own caches, left out of equality,
    hash and repr."""

    __slots__ = ("api_version", "decoded", "operations", "packed", "reach", "service", "snake")
    _FIELDS = ("service", "api_version", "operations", "packed")
    service: str
    api_version: str
    operations: Mapping[str, OperationRow]
    packed: Mapping[str, bytes]
    """Each shape's specification as botocore's model has it, marshalled."""
    decoded: dict[str, Shape]
    snake: dict[str, str]
    """boto3's snake_case name of each operation -> the operation's name, worked out on first need."""
    reach: dict[tuple[tuple[str, ...], str], list[str] | None]
    """What ``..name`` reaches from some shapes (see ``select``), remembered."""

    def __init__(
        self,
        service: str,
        api_version: str,
        operations: Mapping[str, OperationRow],
        packed: Mapping[str, bytes],
        decoded: dict[str, Shape] | None = None,
        snake: dict[str, str] | None = None,
        reach: dict[tuple[tuple[str, ...], str], list[str] | None] | None = None,
    ) -> None:
        object.__setattr__(self, "service", service)
        object.__setattr__(self, "api_version", api_version)
        object.__setattr__(self, "operations", operations)
        object.__setattr__(self, "packed", packed)
        object.__setattr__(self, "decoded", {} if decoded is None else decoded)
        object.__setattr__(self, "snake", {} if snake is None else snake)
        object.__setattr__(self, "reach", {} if reach is None else reach)

    @property
    def snake_names(self) -> Mapping[str, str]:
        """boto3's snake_case name of each operation (botocore.xform_name) -> the operation's name."""
        if not self.snake and self.operations:
            self.snake.update((xform_name(name), name) for name in self.operations)
        return self.snake

    def operation(self, api: str) -> Operation | None:
        """The operation named ``api``, spelled as the operation (PascalCase) or as boto3's method (snake_case)."""
        name = api if api in self.operations else self.snake_names.get(api)
        if name is None:
            return None
        return Operation(name, *self.operations[name])

    def shape(self, name: str) -> Shape:
        shape = self.decoded.get(name)
        if shape is None:
            packed = self.packed.get(name)
            if packed:
                row = _reduce_shape(marshal.loads(packed), _INJECTED.get(self.service, frozenset()))
            else:
                row = _BUILTIN.get(name, ("document", {}, (), "", 0))
            shape = self.decoded[name] = Shape(*row)
        return shape

    def response(self, operation: Operation) -> str:
        """The name of the response boto3 returns: the output shape's members and ResponseMetadata."""
        name = f"#response:{operation.name}"
        if name not in self.decoded:
            members = dict(self.shape(operation.output).members) if operation.output else {}
            members.setdefault("ResponseMetadata", RESPONSE_METADATA)
            self.decoded[name] = Shape("structure", members, (), "", 0)
        return name


def reduce_model(service: str, api_version: str, model: Mapping[str, JSON]) -> Reduced:
    """The reduced form of a botocore ``service-2`` model (sdk-extras already merged): its operations, and each
    shape as the model has it less its documentation, marshalled (``ServiceModel.shape`` reduces the ones a document
    reaches). The model is read once: its shapes' documentation is dropped in place."""
    raw_shapes = model.get("shapes")
    raw_shapes = raw_shapes if isinstance(raw_shapes, dict) else {}
    shapes = {name: marshal.dumps(_undocumented(spec)) for name, spec in raw_shapes.items() if isinstance(spec, dict)}
    operations: dict[str, OperationRow] = {}
    raw_operations = model.get("operations")
    for name, spec in (raw_operations if isinstance(raw_operations, dict) else {}).items():
        if not isinstance(spec, dict):
            continue
        input_name, output_name = _shape_ref(spec.get("input")), _shape_ref(spec.get("output"))
        streaming = any(_has_stream(raw_shapes, shape) for shape in (input_name, output_name) if shape)
        operations[name] = (input_name, output_name, STREAMING if streaming else 0)
    return (FORMAT, service, api_version, operations, shapes)


def _undocumented(spec: dict[str, JSON]) -> dict[str, JSON]:
    """The shape without its documentation and its members' (most of a model's text, never read here)."""
    spec.pop("documentation", None)
    members = spec.get("members")
    if isinstance(members, dict):
        for ref in members.values():
            if isinstance(ref, dict):
                ref.pop("documentation", None)
    return spec


def _shape_ref(ref: JSON) -> str:
    shape = ref.get("shape") if isinstance(ref, dict) else None
    return shape if isinstance(shape, str) else ""


def _reduce_shape(spec: dict[str, JSON], injected: frozenset[str]) -> ShapeRow:
    kind = spec.get("type")
    kind = kind if isinstance(kind, str) else "document"
    if spec.get("document") is True:
        return ("document", {}, (), "", 0)
    members: dict[str, str] = {}
    optional = set(injected)
    raw_members = spec.get("members")
    for member, ref in (raw_members if isinstance(raw_members, dict) else {}).items():
        if not isinstance(ref, dict):
            continue
        members[member] = JSON_MEMBER if ref.get("jsonvalue") is True else _shape_ref(ref)
        if ref.get("idempotencyToken") is True:
            optional.add(member)  # botocore generates one when it is missing
    raw_required = spec.get("required")
    required = tuple(name for name in (raw_required if isinstance(raw_required, list) else ()) if isinstance(name, str))
    required = tuple(name for name in required if name not in optional)
    target = _shape_ref(spec.get("member")) if kind == "list" else _shape_ref(spec.get("value"))
    return (kind, members, required, target, UNION if spec.get("union") is True else 0)


def _has_stream(shapes: Mapping[str, JSON], name: str) -> bool:
    spec = shapes.get(name)
    members = spec.get("members") if isinstance(spec, dict) else None
    for ref in (members if isinstance(members, dict) else {}).values():
        target = shapes.get(_shape_ref(ref))
        for traits in (ref, target):  # the trait is on the member (newer models) or on its shape
            if isinstance(traits, dict) and (traits.get("streaming") is True or traits.get("eventstream") is True):
                return True
    return False


# -- botocore's data folder -------------------------------------------------------------------------------


def botocore_data() -> Path | None:
    """botocore's ``data`` folder, found without importing botocore (None when botocore is not installed)."""
    try:
        spec = importlib.util.find_spec("botocore")
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    for location in locations:
        data = Path(location, "data")
        if data.is_dir():
            return data
    return None


def _model_file(folder: Path) -> Path | None:
    for name in ("service-2.json.gz", "service-2.json"):
        if (folder / name).is_file():
            return folder / name
    return None


def latest_version(data: Path, service: str) -> str | None:
    """The newest API version holding a service-2 model, as botocore picks it (the greatest folder name)."""
    try:
        versions = sorted((entry.name for entry in os.scandir(data / service) if entry.is_dir()), reverse=True)
    except OSError:
        return None
    return next((version for version in versions if _model_file(data / service / version)), None)


def _read_json(path: Path) -> JSON:
    if path.suffix == ".gz":
        import gzip  # lazy: only a cache miss reads botocore's files; lint's cold start never loads gzip

        return json.loads(gzip.decompress(path.read_bytes()))  # type: ignore[no-any-return]
    return json.loads(path.read_bytes())  # type: ignore[no-any-return]


def _deep_merge(base: dict[str, JSON], extra: Mapping[str, JSON]) -> None:
    """botocore.utils.deep_merge: the extra mapping's keys win, nested mappings merge."""
    for key, value in extra.items():
        current = base.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            _deep_merge(current, value)
        else:
            base[key] = value


# -- loading, with an on-disk cache ----------------------------------------------------------------------


def default_cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root, "ssm-runbook-toolkit", "aws-models")


class Installed(enum.Enum):
    """``ModelStore``'s default index: the one the installation built (``installed_index``)."""

    INDEX = "installed"


INSTALLED: Final = Installed.INDEX


def installed_index() -> Path:
    """Where the installation keeps its index of botocore's models: beside this module (``build_index``)."""
    return Path(__file__).with_name(INDEX_FILE)


class ModelStore:
    """Service models loaded on demand, each at most once: from the install-time index when it holds the service
    for the installed botocore's files, else from the cache (``cache_dir``; None: none) or botocore's files."""

    def __init__(
        self, cache_dir: Path | None = None, data: Path | None = None, index: Path | Installed | None = INSTALLED
    ) -> None:
        self.cache_dir = cache_dir
        self._data = data
        self._data_found = data is not None
        self.index = installed_index() if index is INSTALLED else index
        """The install-time index (``build_index``) read first, or None; by default the one beside this module."""
        self._index_table: tuple[dict[str, IndexEntry], int] | None = None
        self.loaded: dict[str, ServiceModel | None] = {}
        self.from_index: set[str] = set()
        """The services whose model came from the index (the rest from the cache or botocore's files)."""
        self._names: frozenset[str] | None = None

    @property
    def data(self) -> Path | None:
        if not self._data_found:
            self._data, self._data_found = botocore_data(), True
        return self._data

    @property
    def available(self) -> bool:
        return self.data is not None

    def service_names(self) -> frozenset[str]:
        """Every service botocore has a model for (listed only when a name is not found)."""
        if self._names is None:
            data = self.data
            try:
                entries = [entry.name for entry in os.scandir(data) if entry.is_dir()] if data else []
            except OSError:
                entries = []
            self._names = frozenset(name for name in entries if not name.startswith(("_", ".")))
        return self._names

    def model(self, service: str) -> ServiceModel | None:
        """The model of one service (its exact boto3 client name), or None when botocore has none."""
        if service not in self.loaded:
            self.loaded[service] = self._load(service)
        return self.loaded[service]

    def _load(self, service: str) -> ServiceModel | None:
        data = self.data
        if data is None or not service or "/" in service or "\\" in service or service.startswith("."):
            return None
        version = latest_version(data, service)
        if version is None:
            return None
        folder = data / service / version
        source = _model_file(folder)
        if source is None:
            return None
        extras = folder / "service-2.sdk-extras.json"
        key = _source_key(source, extras)
        reduced = self._from_index(service, version, key)
        if reduced is None:
            cache = self._cache_file(service, version, key)
            reduced = _read_cache(cache) if cache is not None else None
            if reduced is None or reduced[1] != service:
                reduced = _read_model(service, version, source, extras)
                if reduced is None:
                    return None
                if cache is not None:
                    _write_cache(cache, reduced)
        _, name, api_version, operations, shapes = reduced
        return ServiceModel(name, api_version, operations, shapes)

    def _cache_file(self, service: str, version: str, key: str | None) -> Path | None:
        if self.cache_dir is None or key is None:
            return None
        tag = sys.implementation.cache_tag or "python"
        return self.cache_dir / f"{service}@{version}@{tag}@v{FORMAT}@{key}.marshal"

    # -- the index built at install time ------------------------------------------------------------------------

    def _from_index(self, service: str, version: str, key: str | None) -> Reduced | None:
        """The service's reduced model from the install-time index, when the index holds it for exactly these
        source files (its API version and the files' key); else None."""
        if self.index is None or key is None:
            return None
        if self._index_table is None:
            self._index_table = _read_index_table(self.index, self.data)
        table, base = self._index_table
        entry = table.get(service)
        if entry is None or entry[0] != version or entry[1] != key:
            return None
        try:
            with open(self.index, "rb") as handle:
                handle.seek(base + entry[2])
                loaded = marshal.loads(handle.read(entry[3]))
        except (OSError, EOFError, ValueError, TypeError):
            return None
        reduced = _valid_reduced(loaded)
        if reduced is None or reduced[1] != service or reduced[2] != version:
            return None
        self.from_index.add(service)
        return reduced


def _source_key(source: Path, extras: Path) -> str | None:
    """The model files' size and modification time: what names their cache file and keys their index entry (a
    botocore upgrade changes it). None when they cannot be read."""
    try:
        stat = source.stat()
        key = f"{stat.st_size:x}.{stat.st_mtime_ns:x}"
        if extras.is_file():
            extra = extras.stat()
            key += f".{extra.st_size:x}.{extra.st_mtime_ns:x}"
    except OSError:
        return None
    return key


def _read_model(service: str, version: str, source: Path, extras: Path) -> Reduced | None:
    """The reduced form of one service's model, read from botocore's files (sdk-extras merged as botocore does)."""
    model = _read_json(source)
    if not isinstance(model, dict):
        return None
    if extras.is_file():
        extra = _read_json(extras)
        merge = extra.get("merge") if isinstance(extra, dict) else None
        if isinstance(merge, dict):
            _deep_merge(model, merge)
    return reduce_model(service, version, model)


def _valid_reduced(loaded: object) -> Reduced | None:
    if not (isinstance(loaded, tuple) and len(loaded) == 5 and loaded[0] == FORMAT):
        return None
    if not all(isinstance(part, dict) for part in loaded[3:]):
        return None
    reduced: Reduced = loaded
    return reduced


def _read_cache(path: Path) -> Reduced | None:
    try:
        loaded = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return _valid_reduced(loaded)


def _write_cache(path: Path, reduced: Reduced) -> None:
    """Write atomically (``toolkit.files.write_atomic``: a temporary file, then rename); drop this service's stale
    files. Never fails."""
    service = path.name.split("@", 1)[0]
    try:
        write_atomic(path, marshal.dumps(reduced))
        for stale in path.parent.glob(f"{service}@*.marshal"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except (OSError, WriteError):
        return


# -- the index, built at install time ------------------------------------------------------------------------------


def botocore_version(data: Path) -> str | None:
    """The ``__version__`` of the botocore whose data folder this is, read from its ``__init__.py`` (not imported)."""
    try:
        text = (data.parent / "__init__.py").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():  # ``__version__ = '1.34.0'`` (no regular expression: one costs more to compile)
        name, equals, value = line.partition("=")
        if equals and name.strip() == "__version__":
            value = value.strip()
            if len(value) > 2 and value[0] == value[-1] and value[0] in "'\"":
                return value[1:-1]
    return None


def _index_key(data: Path) -> tuple[int, int, str, str | None, str]:
    """What the whole index depends on: its layout, the reduced form's, the Python (marshal's format), botocore's
    version and where its data folder is."""
    return (INDEX_FORMAT, FORMAT, sys.implementation.cache_tag or "python", botocore_version(data), str(data))


def _read_index_table(index: Path, data: Path | None) -> tuple[dict[str, IndexEntry], int]:
    """The index's table of services and where the reduced forms start; an empty table when the file is missing,
    damaged or was built for another botocore, Python or layout (then every service comes from the cache)."""
    if data is None:
        return {}, 0
    try:
        with open(index, "rb") as handle:
            size = int.from_bytes(handle.read(8), "little")
            loaded = marshal.loads(handle.read(size))
    except (OSError, EOFError, ValueError, TypeError):
        return {}, 0
    if not (isinstance(loaded, tuple) and len(loaded) == 2 and isinstance(loaded[1], dict)):
        return {}, 0
    if loaded[0] != _index_key(data):
        return {}, 0
    table: dict[str, IndexEntry] = loaded[1]
    return table, 8 + size


def build_index(index: Path | None = None, data: Path | None = None, services: Iterable[str] | None = None) -> int:
    """Write the index of every service (or of ``services``) of the installed botocore (``data``: its data folder,
    found as ``ModelStore`` finds it): one file, a table
    (service -> API version, the model files' key, offset and length) and then each service's reduced form, as the
    cache holds it; written atomically. Returns how many services it holds. Raises ``WriteError`` when it cannot be
    written, and ``ValueError`` when botocore is not installed."""
    index = installed_index() if index is None else index
    data = botocore_data() if data is None else data
    if data is None:
        raise ValueError("botocore is not installed: there are no models to index")
    store = ModelStore(None, data, index=None)
    table: dict[str, IndexEntry] = {}
    blobs: list[bytes] = []
    offset = 0
    for service in sorted(store.service_names() if services is None else set(services)):
        version = latest_version(data, service)
        source = _model_file(data / service / version) if version is not None else None
        if version is None or source is None:
            continue
        extras = data / service / version / "service-2.sdk-extras.json"
        key = _source_key(source, extras)
        reduced = _read_model(service, version, source, extras) if key is not None else None
        if key is None or reduced is None:
            continue
        blob = marshal.dumps(reduced)
        table[service] = (version, key, offset, len(blob))
        blobs.append(blob)
        offset += len(blob)
    header = marshal.dumps((_index_key(data), table))
    write_atomic(index, b"".join([len(header).to_bytes(8, "little"), header, *blobs]))
    return len(table)


def main(argv: list[str] | None = None) -> int:
    """``python -m toolkit.aws.models index [FILE]``: build the index (the Makefile's install step runs it)."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] != "index" or len(args) > 2:
        print("usage: python -m toolkit.aws.models index [FILE]", file=sys.stderr)
        return 2
    target = Path(args[1]) if len(args) == 2 else installed_index()
    try:
        count = build_index(target)
    except (ValueError, WriteError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    data = botocore_data()
    version = botocore_version(data) if data is not None else None
    print(f"indexed the models of {count} services of botocore {version}: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
