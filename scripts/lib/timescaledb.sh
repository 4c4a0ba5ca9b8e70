# TimescaleDB built from a source tarball (TIMESCALEDB_SOURCE), for scripts/infra.sh. Sourced, never
# run; uses infra.sh's pg_bin and apt_install.
#
# No package registry we reach ships TimescaleDB, so it is compiled against the installed
# PostgreSQL. `make install` writes into a staging tree under
# .cache/timescaledb/<version>-pg<major>/root, which is then copied into /: a second run (.cache/ is
# kept between CI runs) finds the tree and only copies it.
#
# scripts/lib/timescaledb-patches/<version>/*.patch are applied to that version's source before the
# build (each patch says why); they are part of the cache key with the tarball.
TSDB_PATCHES="$ROOT/scripts/lib/timescaledb-patches"

# The version a source tarball builds, from its version.config ("version = 2.28.3").
tsdb_source_version() {
  local version
  version="$(tar -xzOf "$1" --wildcards '*/version.config' 2>/dev/null | sed -n 's/^version *= *\([0-9][0-9.]*\).*/\1/p')"
  [[ -n "$version" ]] || die "$1 is not a TimescaleDB source tarball (no version.config inside)"
  echo "$version"
}

# The library folder of the PostgreSQL in $1 (its bin folder), where extensions' .so files live.
pg_pkglibdir() {
  if [[ -x "$1/pg_config" ]]; then "$1/pg_config" --pkglibdir; else echo "$(dirname "$1")/lib"; fi
}

# The TimescaleDB version installed for the PostgreSQL in $1 (its bin folder); fails when none is.
tsdb_installed_version() {
  local bin="$1" share="/usr/share/postgresql/$(basename "$(dirname "$1")")"
  [[ -f "$(pg_pkglibdir "$bin")/timescaledb.so" ]] || return 1
  [[ -x "$bin/pg_config" ]] && share="$("$bin/pg_config" --sharedir)"
  sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$share/extension/timescaledb.control" 2>/dev/null | grep . ||
    echo "(version unknown)"
}

# The Debian packages a build needs, for PostgreSQL major $1, that are not installed.
tsdb_missing_build_packages() {
  local pkg missing=()
  for pkg in "postgresql-server-dev-$1" cmake gcc make patch; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] || missing+=("$pkg")
  done
  echo "${missing[*]}"
}

# install_timescaledb <tarball>: build (once) and install TimescaleDB for the installed PostgreSQL.
install_timescaledb() {
  local src="$1" bin major version
  [[ -f "$src" ]] || die "TIMESCALEDB_SOURCE=$src: no such file"
  src="$(cd "$(dirname "$src")" && pwd)/$(basename "$src")"
  bin="$(pg_bin)" || die "PostgreSQL not installed"
  major="$(basename "$(dirname "$bin")")"
  version="$(tsdb_source_version "$src")"
  local dir="$CACHE_DIR/timescaledb/$version-pg$major"
  local stage="$dir/root" sum patches=()
  [[ -d "$TSDB_PATCHES/$version" ]] && mapfile -t patches < <(find "$TSDB_PATCHES/$version" -name '*.patch' | sort)
  sum="$(cat "$src" ${patches[@]+"${patches[@]}"} | sha256sum | cut -d' ' -f1)"

  # The cache holds a build for this source and patches, made against this PostgreSQL release.
  # A machine whose PostgreSQL is older than the build's gets the build dependencies first, which
  # bring it to the packaged release (as for a build), and then usually finds the cache valid.
  tsdb_cache_valid() {
    [[ -d "$stage" && "$(cat "$dir/source.sha256" 2>/dev/null)" == "$sum" &&
      "$(cat "$dir/postgresql.version" 2>/dev/null)" == "$(pg_server_version "$bin")" ]]
  }
  tsdb_cache_valid || tsdb_build_dependencies "$major" "$bin"
  if tsdb_cache_valid; then
    say "TimescaleDB $version for PostgreSQL $(pg_server_version "$bin") cached in $dir (no build)"
  else
    local started_at=$SECONDS
    say "building TimescaleDB $version for PostgreSQL $major from $src (a few minutes, once)…"
    rm -rf "$dir" && mkdir -p "$dir"
    tar -xzf "$src" -C "$dir"
    local tree
    tree="$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'timescaledb*' | head -n 1)"
    [[ -n "$tree" && -x "$tree/bootstrap" ]] || die "$src has no bootstrap script at its top folder"
    local p
    for p in ${patches[@]+"${patches[@]}"}; do
      say "patching it with ${p#"$ROOT/"}"
      patch -d "$tree" -p1 --forward --quiet <"$p" || die "$p does not apply to $src"
    done
    (
      cd "$tree"
      BUILD_FORCE_REMOVE=true ./bootstrap -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF -DWARNINGS_AS_ERRORS=OFF \
        -DCMAKE_BUILD_TYPE=Release -DPG_CONFIG="$bin/pg_config"
      make -C build -j"$(nproc)"
      make -C build install DESTDIR="$stage"
    ) >"$dir/build.log" 2>&1 || {
      local log="$dir.build.log"
      mv "$dir/build.log" "$log"
      rm -rf "$dir"
      die "building TimescaleDB failed; last lines of $log:
$(tail -n 20 "$log")"
    }
    rm -rf "$tree"
    # Written last: a build cut short leaves no checksum, so the next run builds again.
    pg_server_version "$bin" >"$dir/postgresql.version"
    echo "$sum" >"$dir/source.sha256"
    say "built TimescaleDB $version in $((SECONDS - started_at)) s; cached in $dir"
  fi
  tsdb_copy_into_root "$stage" "$version" "$major"
}

# Installing postgresql-server-dev-N can upgrade the postgresql-N package (it pulls in the newest
# client). A server still running the old binary then fails to load its own libraries on new
# connections until restarted, so a running cluster is named, with the command that fixes it.
tsdb_build_dependencies() {
  local major="$1" bin="$2" missing before after
  missing="$(tsdb_missing_build_packages "$major")"
  [[ -z "$missing" ]] && return
  before="$(dpkg-query -W -f='${Version}' "postgresql-$major" 2>/dev/null || true)"
  # shellcheck disable=SC2086 # a list of package names
  apt_install $missing
  after="$(dpkg-query -W -f='${Version}' "postgresql-$major" 2>/dev/null || true)"
  if [[ "$before" != "$after" ]]; then
    say "installing them upgraded postgresql-$major from $before to $after"
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
      warn "a PostgreSQL server on :$PGPORT still runs the old $before binary and will fail on new connections: restart it (scripts/infra.sh stop postgres && scripts/infra.sh start postgres)"
    fi
  fi
}

# Copies the staged files into / (as root), keeping the existing folders' owners and modes; says so
# only when a file changed.
tsdb_copy_into_root() {
  local stage="$1" version="$2" major="$3" file changed=0
  while IFS= read -r -d '' file; do
    cmp -s "$stage/$file" "/$file" || { changed=1; break; }
  done < <(cd "$stage" && find . -type f -print0)
  if ((changed == 0)); then
    say "TimescaleDB $version already installed for PostgreSQL $major"
    return
  fi
  local sudo=""
  ((EUID == 0)) || sudo="sudo"
  # GNU tar replaces a file by unlinking it first, so a server that has the old .so loaded keeps it.
  tar -C "$stage" -cf - . | $sudo tar -C / -xf - --no-overwrite-dir --no-same-owner ||
    die "could not copy TimescaleDB's files from $stage into /"
  say "installed TimescaleDB $version into PostgreSQL $major's folders"
}
