"""Create the first Airflow administrator (FAB auth manager) from the environment of `airflow-init`.

    AIRFLOW_ADMIN_USERNAME, AIRFLOW_ADMIN_EMAIL, AIRFLOW_ADMIN_PASSWORD
    [AIRFLOW_ADMIN_FIRSTNAME, AIRFLOW_ADMIN_LASTNAME]

It runs the FAB provider's own `airflow users create` code in-process, so the password is never on a command
line (`airflow users create --password …` would put it in the process list) and no terminal is needed. An
existing user is left as it is (its password may have been changed since): nothing happens on a second `up`.
Further accounts, one per person: `docker compose exec airflow-apiserver airflow users create --username …
--role … --email … --firstname … --lastname …`, which asks for the password.
"""

from __future__ import annotations

import argparse
import os
import sys


def main() -> int:
    missing = [
        name
        for name in ("AIRFLOW_ADMIN_USERNAME", "AIRFLOW_ADMIN_EMAIL", "AIRFLOW_ADMIN_PASSWORD")
        if not os.environ.get(name)
    ]
    if missing:
        print(f"create_admin: {', '.join(missing)} not set", file=sys.stderr)
        return 1
    from airflow.providers.fab.auth_manager.cli_commands.user_command import users_create

    args = argparse.Namespace(
        username=os.environ["AIRFLOW_ADMIN_USERNAME"],
        email=os.environ["AIRFLOW_ADMIN_EMAIL"],
        firstname=os.environ.get("AIRFLOW_ADMIN_FIRSTNAME") or "Quản trị",
        lastname=os.environ.get("AIRFLOW_ADMIN_LASTNAME") or "BĐG",
        role="Admin",
        password=os.environ["AIRFLOW_ADMIN_PASSWORD"],
        use_random_password=False,
        verbose=False,
    )
    users_create(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
