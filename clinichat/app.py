"""Entry point: parse the command line, check the platform, then open the window or run a command.

Command line shape: `clinichat [global options] [command …]`. With no command the window
opens; commands (see cli.py) never create a window, so IT scripts run on headless machines.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from clinichat import __version__
from clinichat.models.probe import PROBE_FLAG
from clinichat.paths import AppPaths, TempBasedir


def build_parser() -> argparse.ArgumentParser:
    from clinichat import cli

    parser = argparse.ArgumentParser(
        prog="clinichat",
        description="ClinicChat: a private, offline chat assistant for clinicians.",
    )
    parser.add_argument("--version", action="version", version=f"ClinicChat {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--basedir", type=Path, metavar="DIR", help="keep all settings, data and models under DIR"
    )
    where.add_argument(
        "--temp-basedir",
        action="store_true",
        help="use a fresh temporary folder for everything, removed on exit",
    )
    parser.add_argument(
        "--catalog",
        type=Path,
        metavar="FILE",
        help="use this model catalog instead of the bundled one",
    )
    parser.add_argument(
        "--loglevel",
        choices=["debug", "info", "warning", "error"],
        default="warning",
        help="how much to log to stderr (never any chat text)",
    )
    checks = parser.add_argument_group("installation check (no window; see self_test.py)")
    checks.add_argument(
        "--self-test",
        action="store_true",
        help="load a model, generate a few tokens, save and reread an encrypted history,"
        " print one summary line; exit 0 if all worked (use with --temp-basedir)",
    )
    checks.add_argument(
        "--model",
        dest="self_test_model",
        type=Path,
        metavar="FILE",
        help="with --self-test: the GGUF model file to test (default: the installed default)",
    )
    checks.add_argument(
        "--engine",
        dest="self_test_engine",
        choices=["gpt4all", "llamacpp"],
        help="with --self-test: run the model on this engine (default: the model's own)",
    )
    checks.add_argument(
        "--window",
        dest="self_test_window",
        action="store_true",
        help="with --self-test: open the window instead, print how long it took to show, quit",
    )
    cli.add_commands(parser)
    return parser


def resolve_paths(args: argparse.Namespace) -> tuple[AppPaths, TempBasedir | None]:
    if args.temp_basedir:
        temp = TempBasedir()
        return AppPaths.under(temp.path).ensure(), temp
    if args.basedir is not None:
        return AppPaths.under(args.basedir).ensure(), None
    return AppPaths.for_user().ensure(), None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [PROBE_FLAG]:
        # A probe child (models/probe.py): load one model file and exit, before logging,
        # crash handlers or Qt exist, and without touching any of the user's folders.
        from clinichat.models import probe_child

        return probe_child.main(arguments[1:])
    # Imported only now: crash pulls in Qt, which a probe child has no use for.
    from clinichat import crash, logging_setup, process_guard

    process_guard.protect_memory()

    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.self_test and args.command is not None:
        parser.error("--self-test runs on its own, without a command")
    if not args.self_test and (args.self_test_model is not None or args.self_test_window):
        parser.error("--model and --window only apply to --self-test")
    paths, temp = resolve_paths(args)
    logging_setup.configure(paths.logs, args.loglevel)
    crash.install(paths.logs, show_dialog=False)
    try:
        if args.self_test:
            from clinichat import self_test

            if args.self_test_window:
                return self_test.run_window(args, paths, run_gui)
            return self_test.run(args, paths)
        if args.command is not None:
            from clinichat import cli

            return cli.run(args, paths)
        return run_gui(args, paths)
    finally:
        if temp is not None:
            temp.cleanup()


def run_gui(args: argparse.Namespace, paths: AppPaths) -> int:
    from clinichat.platform_check import missing_xcb_packages, xcb_help_message

    missing = missing_xcb_packages()
    if missing:
        # Qt would abort with a cryptic message; say exactly what to install instead.
        print(xcb_help_message(missing), file=sys.stderr)
        return 1

    # Qt's own warnings go to the log (through its safety net), not to the terminal.
    from clinichat.logging_setup import route_qt_messages

    route_qt_messages()

    from PySide6.QtWidgets import QApplication

    from clinichat import crash
    from clinichat.chat_controller import ChatController
    from clinichat.config.settings import Settings
    from clinichat.history.store import MemoryStore
    from clinichat.history.vault import Vault
    from clinichat.history_access import HistoryAccess
    from clinichat.i18n import Translations
    from clinichat.llm.session import ChatSession
    from clinichat.models.catalog import load_catalog
    from clinichat.models.load_guard import LoadGuard
    from clinichat.models.registry import ModelRegistry
    from clinichat.remote.policy import load_policy
    from clinichat.resources import bundled_catalog_path
    from clinichat.single_instance import Claim, SingleInstance, warn_not_answering
    from clinichat.ui.appearance import apply_appearance
    from clinichat.ui.history_guard import HistoryGuard
    from clinichat.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ClinicChat")
    app.setApplicationDisplayName("ClinicChat")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("clinichat")

    catalog, problems = load_catalog(args.catalog or bundled_catalog_path())
    for problem in problems:
        print(f"catalog: {problem}", file=sys.stderr)
    settings, problems = Settings.load(paths.config)
    for problem in problems:
        print(f"settings: {problem}", file=sys.stderr)
    translations = Translations(app)
    translations.apply(settings.language)
    crash.install(paths.logs)  # again, now that the QApplication exists: with the dialog
    crash.enable_native_crash_log(paths.logs)
    instance = SingleInstance(paths.data, app)
    claim = instance.claim()
    if claim is Claim.ACTIVATED:
        return 0
    if claim is Claim.NO_ANSWER:
        warn_not_answering()
        return 1
    apply_appearance(app, settings.theme, settings.font_scale)
    # Created before any load, so it reports what the previous run left (see load_guard.py).
    session = ChatSession(load_guard=LoadGuard(paths.data))
    # The empty in-memory store is replaced by the encrypted history once it unlocks.
    controller = ChatController(MemoryStore(), session)
    access = HistoryAccess(Vault(paths.data))
    window = MainWindow(
        controller,
        ModelRegistry(paths.models, catalog),
        settings,
        locked=True,
        translations=translations,
        paths=paths,
        policy=load_policy(),
    )
    HistoryGuard(window, access)
    instance.set_window(window)
    window.show()
    access.start()
    code = app.exec()
    controller.shutdown()
    access.close()
    instance.release()
    return code


if __name__ == "__main__":
    sys.exit(main())
