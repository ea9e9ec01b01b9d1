"""Store tables of the Synap vendor that are not a JSON:API type. A type's table is named by its
x-resource in the spec, and rules and seeds reach it by the type's name: ``records.table("User")``."""

PAT_SECRETS = "synap_pat_secrets"  # "p:<token>" -> {"pat": id}: the bearer lookup without a scan
