"""Reports ▸ Evidence pack…: the selected cycle's pack, built on the page's worker (mixed into ReportsPage)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from riskdesk.domain.permissions import Permission, allows


class EvidencePackMixin:
    """Internal audit's zip for a cycle: asks where, builds it through ``services.evidence`` off the GUI thread."""

    def _init_evidence_pack(self) -> None:
        self._building = "The appendix"  # what a failure message names
        self._may_pack = allows(self.services.registers.me(self.actor).role, Permission.EVIDENCE_PACK)
        if not self._may_pack:
            self.view.evidence_button.setToolTip("Only the corporate risk team, internal audit and administrators "
                                                 "build evidence packs")
        self.view.evidence_button.clicked.connect(self.evidence_pack)

    def evidence_pack(self) -> None:
        """Ask where, then build the cycle's evidence pack on the worker (internal audit may run it)."""
        cycle = self.current_cycle()
        if cycle is None:
            return
        folder = Path(self.state.text("save_folder", str(Path.home())))
        suggested = str(folder / f"evidence-pack-{cycle.file_stem('A')}.zip")
        path, _ = QFileDialog.getSaveFileName(self, "Save evidence pack", suggested, "Zip files (*.zip)")
        if not path:
            return
        out = Path(path) if path.lower().endswith(".zip") else Path(path + ".zip")
        self.state.set_text("save_folder", str(out.parent))
        self.view.status_label.setText(f"Building the evidence pack for {cycle.title}…")

        def build(_progress: Callable[[int, int], None], _cancelled: Callable[[], bool]) -> Any:
            return self.services.evidence.build(self.actor, cycle.id, out)

        self._building = "The evidence pack"
        self._start(build, self._packed)

    def _packed(self, result: Any) -> None:
        self.view.status_label.setText(
            f"Evidence pack saved: {result.path} ({len(result.files)} files with SHA-256 digests, "
            f"{result.audit_entries} audit entries; check it with 'riskdesk evidence-pack verify').")
        self.packed.emit(result)
