#!/usr/bin/env bash
# Stand-in for the entrypoint of the official Prefect image: optional extra
# packages from EXTRA_PIP_PACKAGES, then the command.
set -e
if [ -n "${EXTRA_PIP_PACKAGES:-}" ]; then
  echo "+pip install $EXTRA_PIP_PACKAGES"
  # shellcheck disable=SC2086 # a list of requirement specifiers
  pip install $EXTRA_PIP_PACKAGES
fi
if [ "$#" -eq 0 ]; then
  exec bash --login
fi
exec "$@"
