"""Layout checks run in the page: what scrolls sideways, what is cut."""

from __future__ import annotations

from playwright.sync_api import Page

# "" when the element's text is wholly visible: not cut by its own box, by an ancestor that
# clips, nor by the window. Unless `scrollCuts`, an ancestor that scrolls may hide it (the user
# scrolls that box), but that box itself must fit the window.
VISIBLE_WHOLE = """(el, scrollCuts) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const text = range.getBoundingClientRect();
    if (!text.width) return "";
    for (let box = el; box && box !== document.documentElement; box = box.parentElement) {
        const style = getComputedStyle(box);
        const rect = box.getBoundingClientRect();
        if (!scrollCuts && ["auto", "scroll"].includes(style.overflowX)) {
            return rect.right <= window.innerWidth + 0.5 ? "" : "its scrolling box overflows the window";
        }
        const clips = box === el || style.overflowX !== "visible";
        if (clips && (text.left < rect.left - 0.5 || text.right > rect.right + 0.5)) {
            return `cut by ${box.tagName.toLowerCase()}.${box.className}: text ${text.left}-${text.right}, box ${rect.left}-${rect.right}`;
        }
    }
    return text.right <= window.innerWidth + 0.5 ? "" : `past the window: ${text.right}`;
}"""

# Everything the page would scroll sideways, and every amount that is cut: [] when none.
# <details> are opened first, so a sync log or a list of warnings is measured too.
SIDEWAYS = (
    """() => {
    const visibleWhole = """
    + VISIBLE_WHOLE
    + """;
    document.querySelectorAll("details").forEach((d) => { d.open = true; });
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) {
        // The culprits: past the window's edge and not inside a box that clips or scrolls.
        const contained = (el) => {
            for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
                if (getComputedStyle(box).overflowX !== "visible") return true;
            }
            return false;
        };
        const right = (el) => {
            // Its box, and its own text where that runs out of the box (unless it clips or scrolls).
            let edge = el.getBoundingClientRect().right;
            if (getComputedStyle(el).overflowX !== "visible") return edge;
            for (const node of el.childNodes) {
                if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
                const range = document.createRange();
                range.selectNodeContents(node);
                edge = Math.max(edge, range.getBoundingClientRect().right);
            }
            return edge;
        };
        const past = new Set(
            [...document.body.querySelectorAll("*")].filter((el) => right(el) > window.innerWidth + 0.5 && !contained(el)),
        );
        const wide = [...past]
            .filter((el) => ![...el.children].some((child) => past.has(child)))  // the innermost
            .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
        problems.push(`page is ${root.scrollWidth}px wide: ${[...new Set(wide)].slice(0, 6).join(", ")}`);
    }
    for (const cell of document.querySelectorAll("td.num")) {
        const why = visibleWhole(cell, false);
        if (why) problems.push(`amount ${cell.textContent.trim()} ${why}`);
    }
    return problems;
}"""
)


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
