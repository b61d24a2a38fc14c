#!/bin/sh
# Install ClinicChat for the current user from the unpacked release tarball; no root needed.
#
#   ./install.sh              install (or update) ClinicChat
#   ./install.sh --uninstall  remove it again (conversations, settings and models are kept)
#   ./install.sh --help
#
# Where things go (XDG_DATA_HOME defaults to ~/.local/share):
#   ~/.local/opt/clinichat/                           the program (this tarball's ClinicChat/)
#   ~/.local/bin/clinichat                            a link to it, for the command line
#   $XDG_DATA_HOME/applications/clinichat.desktop     the menu entry
#   $XDG_DATA_HOME/icons/hicolor/<size>/apps/clinichat.png (and scalable/apps/clinichat.svg)
#   $XDG_DATA_HOME/metainfo/io.clinichat.ClinicChat.metainfo.xml   for software centres
#
# The user's data (~/.local/share/ClinicChat, ~/.config/ClinicChat) is never touched here:
# an encrypted history must survive an update or an uninstall. To check the installation:
#   ~/.local/opt/clinichat/clinichat --temp-basedir --self-test --model FILE.gguf
set -eu

APP_ID=io.clinichat.ClinicChat
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
opt_dir=$HOME/.local/opt/clinichat
bin_dir=$HOME/.local/bin
apps_dir=$data_home/applications
icons_dir=$data_home/icons/hicolor
metainfo_dir=$data_home/metainfo
sizes="16 24 32 48 64 128 256 512"

say() { printf '%s\n' "$*"; }
fail() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

refresh_caches() {
    # Best effort: menus and icon themes pick the changes up by themselves, just later.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$apps_dir" 2>/dev/null || :
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons_dir/index.theme" ]; then
        gtk-update-icon-cache -q -t "$icons_dir" 2>/dev/null || :
    fi
}

# A path as one quoted argument of a desktop entry's Exec key: inside the quotes " ` $ get a
# backslash, and a backslash becomes four (string escaping first, then quoting).
desktop_exec_arg() {
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\&/g')"
}

# A path as a desktop entry string value (TryExec): only the backslash is escaped.
desktop_string() {
    printf '%s' "$1" | sed -e 's/\\/\\\\/g'
}

# Copy the desktop entry, pointing Exec and TryExec at the installed program.
write_desktop_entry() {
    exec_arg=$(desktop_exec_arg "$opt_dir/clinichat")
    try_exec=$(desktop_string "$opt_dir/clinichat")
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
            Exec=*) printf 'Exec=%s\n' "$exec_arg" ;;
            TryExec=*) printf 'TryExec=%s\n' "$try_exec" ;;
            *) printf '%s\n' "$line" ;;
        esac
    done < "$1" > "$2.tmp"
    mv "$2.tmp" "$2"
}

uninstall() {
    # Only what install() put there; a link we did not make is left alone.
    link=$bin_dir/clinichat
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$opt_dir/clinichat" ]; then
        rm -f "$link"
    fi
    rm -f "$apps_dir/clinichat.desktop" "$metainfo_dir/$APP_ID.metainfo.xml"
    for size in $sizes; do
        rm -f "$icons_dir/${size}x${size}/apps/clinichat.png"
    done
    rm -f "$icons_dir/scalable/apps/clinichat.svg"
    rm -rf "$opt_dir"
    refresh_caches
    say "ClinicChat has been removed. Your conversations, settings and models were kept in"
    say "  $data_home/ClinicChat and ${XDG_CONFIG_HOME:-$HOME/.config}/ClinicChat"
}

install() {
    [ -x "$here/ClinicChat/clinichat" ] ||
        fail "no ClinicChat/clinichat beside this script; unpack the whole tarball first"
    [ -f "$here/clinichat.desktop" ] || fail "clinichat.desktop is missing beside this script"

    # Copy next to the target, then swap: a failed copy never leaves half a program behind.
    mkdir -p "$(dirname -- "$opt_dir")"
    staging=$opt_dir.new.$$
    rm -rf "$staging"
    trap 'rm -rf "$staging"' EXIT
    cp -R "$here/ClinicChat" "$staging"
    rm -rf "$opt_dir.old"
    if [ -e "$opt_dir" ]; then
        mv "$opt_dir" "$opt_dir.old"
    fi
    mv "$staging" "$opt_dir"
    rm -rf "$opt_dir.old"
    trap - EXIT

    mkdir -p "$bin_dir"
    if [ ! -e "$bin_dir/clinichat" ] || [ -L "$bin_dir/clinichat" ]; then
        ln -sf "$opt_dir/clinichat" "$bin_dir/clinichat"
    else
        say "note: $bin_dir/clinichat exists and is not a link; left as it is"
    fi

    # Menus need an absolute Exec (~/.local/bin is not on every desktop session's PATH).
    mkdir -p "$apps_dir"
    write_desktop_entry "$here/clinichat.desktop" "$apps_dir/clinichat.desktop"

    for size in $sizes; do
        src=$here/icons/hicolor/${size}x${size}/apps/clinichat.png
        if [ -f "$src" ]; then
            mkdir -p "$icons_dir/${size}x${size}/apps"
            cp "$src" "$icons_dir/${size}x${size}/apps/clinichat.png"
        fi
    done
    svg=icons/hicolor/scalable/apps/clinichat.svg
    if [ -f "$here/$svg" ]; then
        mkdir -p "$icons_dir/scalable/apps"
        cp "$here/$svg" "$icons_dir/scalable/apps/clinichat.svg"
    fi
    if [ -f "$here/$APP_ID.metainfo.xml" ]; then
        mkdir -p "$metainfo_dir"
        cp "$here/$APP_ID.metainfo.xml" "$metainfo_dir/$APP_ID.metainfo.xml"
    fi
    refresh_caches
    say "ClinicChat is installed in $opt_dir; start it from the applications menu."
    case ":${PATH:-}:" in
        *":$bin_dir:"*) ;;
        *) say "note: $bin_dir is not on PATH; the command line program is $opt_dir/clinichat" ;;
    esac
}

case "${1:-}" in
    "") install ;;
    --uninstall) uninstall ;;
    -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0" ;;
    *) fail "unknown option: $1 (try --help)" ;;
esac
