"""The plan registry (issue 3): import planning documents as versioned plans, and read them back.

Use cases take a `SessionFactory` and open their own transaction (one per use case).  Writes:
`import_document`, `import_paths`.  Reads: `plan_document` (Plan JSON; `plan_document_json` serialized, with its ETag), `document_etag`,
`source_file`, `version_diff`, `list_*`/`get_*`, `search_tasks`.  Errors: `NotFound`,
`ImportRejected` (with a `reason`), `Conflict`.
"""

from eduplan.services.registry.documents import (
    SourceFile,
    document_etag,
    plan_document,
    plan_document_json,
    source_file,
    version_diff,
)
from eduplan.services.registry.errors import Conflict, ImportRejected, NotFound, RegistryError, ServiceError
from eduplan.services.registry.importing import FileOutcome, ImportResult, import_document, import_paths
from eduplan.services.registry.queries import (
    SearchHit,
    TaskFilter,
    get_org,
    get_plan,
    get_task,
    get_unit,
    list_indicator_tables,
    list_orgs,
    list_plans,
    list_projects,
    list_targets,
    list_tasks,
    list_units,
    search_tasks,
)

__all__ = [
    "Conflict",
    "FileOutcome",
    "ImportRejected",
    "ImportResult",
    "NotFound",
    "RegistryError",
    "SearchHit",
    "ServiceError",
    "SourceFile",
    "TaskFilter",
    "document_etag",
    "get_org",
    "get_plan",
    "get_task",
    "get_unit",
    "import_document",
    "import_paths",
    "list_indicator_tables",
    "list_orgs",
    "list_plans",
    "list_projects",
    "list_targets",
    "list_tasks",
    "list_units",
    "plan_document",
    "plan_document_json",
    "search_tasks",
    "source_file",
    "version_diff",
]
