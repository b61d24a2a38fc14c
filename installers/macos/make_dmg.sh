#!/bin/sh
# Pack dist/ClinicChat.app into a drag-to-Applications disk image, on macOS.
#
#   python3 installers/build.py            # on a Mac: makes dist/ClinicChat.app, smoke-tests it
#   sh installers/macos/make_dmg.sh [DIST]  # makes DIST/ClinicChat-<version>-macos-<arch>.dmg
#
# DIST defaults to dist/ in the repository. The .app's settings (bundle identifier
# io.clinichat.ClinicChat, version, icon, Info.plist keys) come from the BUNDLE section of
# installers/clinichat.spec.
#
# Signing: without a Developer ID signature and notarization, Gatekeeper refuses to open
# the app from a downloaded image ("cannot be opened because the developer cannot be
# verified"; right-click > Open gets past it once). To sign, set CODESIGN_IDENTITY (e.g.
# "Developer ID Application: Example Hospital (TEAMID)") before running this script; then
# notarize the image with `xcrun notarytool submit --wait` and `xcrun stapler staple`.
# Neither is done when CODESIGN_IDENTITY is unset. Needs only macOS's own tools (hdiutil).
set -eu

repo=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd)
dist=${1:-$repo/dist}
app=$dist/ClinicChat.app

fail() { echo "make_dmg.sh: $*" >&2; exit 1; }
[ "$(uname -s)" = Darwin ] || fail "run this on macOS (it needs hdiutil)"
[ -d "$app" ] || fail "no $app; run installers/build.py first"

version=$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$app/Contents/Info.plist")
image=$dist/ClinicChat-$version-macos-$(uname -m).dmg

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    # Hardened runtime is required for notarization; sign nested code first (--deep).
    codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
    codesign --verify --deep --strict "$app"
fi

# The image shows the app beside a link to /Applications: drag one onto the other.
staging=$(mktemp -d "${TMPDIR:-/tmp}/clinichat-dmg.XXXXXX")
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"

rm -f "$image"
hdiutil create -volname "ClinicChat $version" -srcfolder "$staging" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 -ov "$image"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$image"
fi
echo "$image"
