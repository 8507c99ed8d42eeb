"""Elder and normal mode measured on the rendered widgets: text size, target size, contrast."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScrollArea, QWidget

from kiosk.flows import Step
from kiosk.ui.theme import ELDER, NORMAL, contrast_ratio
from tests.kiosk.flows.conftest import PENSION
from tests.kiosk.ui.driver import current, role, tap


def rendered_contrast(widget: QWidget) -> float:
    """Contrast between a widget's background (its commonest colour) and its text (the
    colour farthest from it), read from the pixels Qt actually drew."""
    top = widget.window()
    area_ = widget.parentWidget()
    while area_ is not None and not isinstance(area_, QScrollArea):
        area_ = area_.parentWidget()
    if area_ is not None:                             # scrolled to, as a citizen would
        area_.ensureWidgetVisible(widget, 0, 0)
        QApplication.processEvents()
    shown = widget.visibleRegion().boundingRect()     # the part not scrolled away
    if shown.isEmpty():
        return 21.0
    area = QRect(widget.mapTo(top, shown.topLeft()), shown.size())
    image = top.grab(area).toImage()   # with what is behind a transparent widget
    counts: Counter[tuple[int, int, int]] = Counter()
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            counts[(c.red(), c.green(), c.blue())] += 1
    background = counts.most_common(1)[0][0]
    ink = max((c for c, n in counts.items() if n >= 3),
              key=lambda c: contrast_ratio(c, background))
    return contrast_ratio(ink, background)


def visible(window, kind: type) -> list:
    return [w for w in window.findChildren(kind) if w.isVisible() and w is not window.corner_button
            and w.window() is window]


def screens_of_a_journey(qtbot, window, flow, card):
    """Yield on each screen of an apply journey up to the form."""
    yield
    flow.card_placed(card)
    yield
    flow.choose(PENSION)
    yield
    tap(qtbot, role(window, "start"))
    yield
    tap(qtbot, role(window, "decline"))
    yield


@pytest.mark.parametrize("elder", [True, False], ids=["elder", "normal"])
def test_targets_text_and_contrast(qtbot, window, flow, id_cards, elder) -> None:
    """Every visible button is at least the theme's target size (elder: ≥ 80 px, aiming at
    20 mm), elder body text is ≥ 20 pt, and text contrast is ≥ 4.5:1 everywhere."""
    theme = ELDER if elder else NORMAL
    window.resize(1920, 1080)              # the kiosk's 21.5" panel, what elder mode is for
    flow.set_elder(elder)
    checked = 0
    for _ in screens_of_a_journey(qtbot, window, flow, id_cards["R001"]):
        flow.set_elder(elder)
        QApplication.processEvents()
        for button in visible(window, QPushButton):
            assert button.height() >= theme.target_px - 1, (flow.step, button.text())
            assert button.width() >= theme.target_px - 1, (flow.step, button.text())
            if button.text() or button.findChildren(QLabel):
                assert rendered_contrast(button) >= 4.5, (flow.step, button.text())
                checked += 1
        for label in visible(window, QLabel):
            if not label.text():
                continue
            if elder:
                assert label.font().pointSizeF() >= 20, (flow.step, label.text())
            assert rendered_contrast(label) >= 4.5, (flow.step, label.text())
    assert checked > 20 and flow.step is Step.FORM


def test_elder_mode_is_one_column_with_fewer_choices(qtbot, window, flow, id_cards) -> None:
    """Elder mode shows the choices in one column, four at a time."""
    flow.card_placed(id_cards["R001"])
    flow.set_elder(True)
    QApplication.processEvents()
    buttons = current(window).item_buttons()
    assert len(buttons) == 4 and len({b.x() for b in buttons}) == 1
    flow.set_elder(False)
    assert len(current(window).item_buttons()) == 9



@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_elder_choices_fit_the_panel_without_stretching_the_window(
        qtbot, window, flow, id_cards, size) -> None:
    """Elder-sized choices never make the window taller than the screen (they scroll
    instead), in every way of browsing; the four of a page are fully shown at 1080."""
    width, height = size
    window.resize(width, height)
    flow.card_placed(id_cards["R001"])
    flow.set_elder(True)
    screen = current(window)
    for mode in ("popular", "departments", "life_events", "bundles"):
        screen.set_mode(mode)
        QApplication.processEvents()
        assert window.minimumSizeHint().height() <= height, mode
        assert window.height() == height, mode
        if height == 1080:
            viewport = screen.scroll_area.viewport()
            for button in screen.item_buttons():
                bottom = button.mapTo(viewport, button.rect().bottomLeft()).y()
                assert bottom <= viewport.height(), (mode, button.text())
