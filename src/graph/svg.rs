//! Drawing a graph as inline SVG: real text for labels, `<title>`/`<desc>`
//! for assistive technology, every node a relative link, shapes and colours
//! by kind through CSS classes (`static/css/graph.css`), so light and dark
//! themes both work and the page needs no script.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::layout::{self, NodeSize, Pin, Rect};
use super::model::{EdgeType, Graph, GraphIndex, Node, Side};
use crate::site::highlight::escape_html;

const NODE_HEIGHT: f64 = 44.0;
const MIN_WIDTH: f64 = 92.0;
const MAX_WIDTH: f64 = 196.0;
const PAD: f64 = 11.0;
const NAME_SIZE: f64 = 13.0;
const SUB_SIZE: f64 = 11.0;
const EDGE_LABEL_SIZE: f64 = 10.5;
const CLUSTER_PAD: f64 = 14.0;
const CLUSTER_HEAD: f64 = 22.0;

/// Width of text in the theme's sans-serif at `size` px, estimated on the
/// wide side so labels never spill out of their node.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | '\'' | ':' | ';' | '|' | '!' | 'I' => 0.30,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '[' | ']' | '/' | '-' => 0.40,
            'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.92,
            'A'..='Z' | '+' | '&' | '#' => 0.72,
            'a'..='z' | '0'..='9' | '_' | '·' | '…' => 0.63,
            c if c.is_ascii() => 0.62,
            _ => 1.0,
        })
        .sum();
    em * size * if bold { 1.1 } else { 1.0 }
}

/// `text` cut with an ellipsis to fit `max` px; whether it was cut.
pub fn shorten(text: &str, size: f64, bold: bool, max: f64) -> (String, bool) {
    if text_width(text, size, bold) <= max {
        return (text.to_string(), false);
    }
    let budget = max - text_width("…", size, bold);
    let mut used = 0.0;
    let mut out = String::new();
    for c in text.chars() {
        let mut buf = [0u8; 4];
        used += text_width(c.encode_utf8(&mut buf), size, bold);
        if used > budget {
            break;
        }
        out.push(c);
    }
    out.push('…');
    (out, true)
}

/// A node as drawn.
struct Drawn {
    classes: String,
    name: String,
    sub: String,
    tooltip: String,
    href: Option<String>,
    width: f64,
    pin: Pin,
    kind: String,
}

fn describe(index: &GraphIndex, node: &Node, root: &str) -> Drawn {
    let (classes, name, sub, tooltip, href, kind, pin) = match node {
        Node::Entity { id, center } => {
            let n = &index.nodes[*id as usize];
            let mut classes = format!("gn k-{}", kind_class(&n.kind));
            if *center {
                classes.push_str(" center");
            }
            if n.url.is_none() {
                classes.push_str(" missing");
            }
            let deprecated = n.lifecycle.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("deprecated"));
            if deprecated {
                classes.push_str(" deprecated");
            }
            let mut sub = display_kind(&n.kind).to_string();
            if let Some(ns) = namespace_of(&n.entity_ref).filter(|ns| *ns != "default") {
                sub.push_str(" · ");
                sub.push_str(ns);
            }
            if n.url.is_none() {
                sub.push_str(" · not in catalog");
            } else if deprecated {
                sub.push_str(" · deprecated");
            } else if let Some(t) = &n.entity_type {
                sub.push_str(" · ");
                sub.push_str(t);
            }
            let mut tooltip = format!("{} ({})", n.title, display_kind(&n.kind));
            for part in [n.entity_type.as_deref(), n.lifecycle.as_deref()].into_iter().flatten() {
                let _ = write!(tooltip, " · {part}");
            }
            let _ = write!(tooltip, "\n{}", n.entity_ref);
            if n.url.is_none() {
                tooltip.push_str("\nNot in the catalog");
            }
            let href = n.url.as_ref().map(|u| format!("{root}{u}"));
            (classes, n.title.clone(), sub, tooltip, href, n.kind.clone(), Pin::Auto)
        }
        Node::More { count, noun, href, side } => (
            "gn more".to_string(),
            format!("+{count} more"),
            noun.trim_start_matches("more ").to_string(),
            format!("{count} {noun} not drawn: open the list"),
            Some(href.clone()),
            String::new(),
            pin_of(*side),
        ),
        Node::Outside { id, side } => {
            let n = &index.nodes[*id as usize];
            let href = n.url.as_ref().map(|u| format!("{root}{u}"));
            let mut classes = format!("gn k-{} outside", kind_class(&n.kind));
            if n.url.is_none() {
                classes.push_str(" missing");
            }
            (
                classes,
                n.title.clone(),
                if n.kind.eq_ignore_ascii_case("system") {
                    "other system".to_string()
                } else {
                    format!("{} · in no system", display_kind(&n.kind))
                },
                format!("{} ({})\n{}", n.title, display_kind(&n.kind), n.entity_ref),
                href,
                n.kind.clone(),
                pin_of(*side),
            )
        }
    };
    let inner = MAX_WIDTH - 2.0 * PAD;
    let (name, _) = shorten(&name, NAME_SIZE, true, inner);
    let (sub, _) = shorten(&sub, SUB_SIZE, false, inner);
    let width = (text_width(&name, NAME_SIZE, true).max(text_width(&sub, SUB_SIZE, false)) + 2.0 * PAD)
        .clamp(MIN_WIDTH, MAX_WIDTH)
        .ceil();
    Drawn { classes, name, sub, tooltip, href, width, pin, kind }
}

fn namespace_of(entity_ref: &str) -> Option<&str> {
    entity_ref.split_once(':')?.1.split_once('/').map(|(ns, _)| ns)
}

fn pin_of(side: Side) -> Pin {
    match side {
        Side::Inside => Pin::Auto,
        Side::Before => Pin::First,
        Side::After => Pin::Last,
    }
}

fn kind_class(kind: &str) -> String {
    let k = kind.to_ascii_lowercase();
    if k.chars().all(|c| c.is_ascii_lowercase()) && !k.is_empty() {
        k
    } else {
        "other".into()
    }
}

fn display_kind(kind: &str) -> &str {
    if kind.is_empty() {
        "Entity"
    } else {
        kind
    }
}

/// What a drawing needs beyond the graph.
pub struct Frame<'a> {
    /// Prefix for element ids, unique on the page.
    pub id: &'a str,
    pub title: String,
    pub description: String,
    pub root: &'a str,
}

/// The drawn graph: a `<figure>` with the SVG and an HTML legend.
pub struct Figure {
    pub html: String,
    pub nodes: usize,
    pub edges: usize,
    pub crossings: usize,
    pub width: f64,
    pub height: f64,
    /// Laid-out rectangles of nodes and edge labels, for tests.
    pub node_boxes: Vec<Rect>,
    pub label_boxes: Vec<Rect>,
}

pub fn render(index: &GraphIndex, graph: &Graph, frame: &Frame) -> Figure {
    let drawn: Vec<Drawn> = graph.nodes.iter().map(|n| describe(index, n, frame.root)).collect();
    let sizes: Vec<NodeSize> =
        drawn.iter().map(|d| NodeSize { width: d.width, height: NODE_HEIGHT, pin: d.pin }).collect();
    let edges: Vec<(usize, usize)> = graph.edges.iter().map(|e| (e.from, e.to)).collect();
    let lay = layout::layout(&sizes, &edges);

    let cluster_box = graph.cluster.as_ref().and_then(|(_, inside)| {
        let rects: Vec<&Rect> = inside.iter().filter_map(|&i| lay.nodes.get(i)).collect();
        if rects.is_empty() {
            return None;
        }
        let mut x0 = rects.iter().map(|r| r.x).fold(f64::INFINITY, f64::min) - CLUSTER_PAD;
        let mut x1 = rects.iter().map(|r| r.x + r.width).fold(0.0, f64::max) + CLUSTER_PAD;
        // Wide enough for its heading (up to a limit), widened evenly.
        let want = (cluster_heading(index, graph).map_or(0.0, |h| text_width(&h, 12.0, true)) + 24.0).min(360.0);
        if x1 - x0 < want {
            let grow = (want - (x1 - x0)) / 2.0;
            x0 -= grow;
            x1 += grow;
        }
        let y0 = rects.iter().map(|r| r.y).fold(f64::INFINITY, f64::min) - CLUSTER_PAD - CLUSTER_HEAD;
        let y1 = rects.iter().map(|r| r.y + r.height).fold(0.0, f64::max) + CLUSTER_PAD;
        Some(Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 })
    });
    // Room for the cluster's frame and heading.
    let (dx, dy) = match &cluster_box {
        Some(b) => ((-b.x + layout::MARGIN).max(0.0), (-b.y + layout::MARGIN).max(0.0)),
        None => (0.0, 0.0),
    };
    let shift = |r: &Rect| Rect { x: r.x + dx, y: r.y + dy, width: r.width, height: r.height };
    let nodes: Vec<Rect> = lay.nodes.iter().map(shift).collect();
    let cluster_box = cluster_box.map(|b| shift(&b));
    let mut width = lay.width + dx;
    let mut height = lay.height + dy;
    if let Some(b) = &cluster_box {
        width = width.max(b.x + b.width + layout::MARGIN);
        height = height.max(b.y + b.height + layout::MARGIN);
    }
    let mut routes: Vec<Vec<(f64, f64)>> =
        lay.routes.iter().map(|r| r.iter().map(|&(x, y)| (x + dx, y + dy)).collect()).collect();
    spread_ports(&mut routes, &nodes, &edges);

    // One visible label per fan of same-type edges at a node.
    let mut fans: BTreeMap<(usize, bool, EdgeType), Vec<usize>> = BTreeMap::new();
    let mut degrees = vec![0usize; graph.nodes.len()];
    for e in &graph.edges {
        degrees[e.from] += 1;
        degrees[e.to] += 1;
    }
    let degree = |n: usize| degrees[n];
    for (i, e) in graph.edges.iter().enumerate() {
        let hub_is_to = degree(e.to) >= degree(e.from);
        let hub = if hub_is_to { e.to } else { e.from };
        fans.entry((hub, hub_is_to, e.ty)).or_default().push(i);
    }
    let mut labelled = vec![false; graph.edges.len()];
    for (_, mut list) in fans {
        list.retain(|&i| !routes[i].is_empty());
        if list.is_empty() {
            continue;
        }
        list.sort_by(|&a, &b| mid_y(&routes[a]).total_cmp(&mid_y(&routes[b])).then(a.cmp(&b)));
        labelled[list[list.len() / 2]] = true;
        // Summary edges carry a count each: all labelled.
        for &i in &list {
            if graph.edges[i].count > 1 {
                labelled[i] = true;
            }
        }
    }
    let mut label_boxes: Vec<Rect> = Vec::new();
    let mut labels: Vec<(usize, f64, f64, String)> = Vec::new();
    let blocked: Vec<Rect> = nodes
        .iter()
        .map(|r| Rect { x: r.x - 3.0, y: r.y - 3.0, width: r.width + 6.0, height: r.height + 6.0 })
        .collect();
    for (i, e) in graph.edges.iter().enumerate() {
        if !labelled[i] || routes[i].len() < 2 {
            continue;
        }
        let text = if e.count > 1 { format!("{} ({})", e.ty.label(), e.count) } else { e.ty.label().to_string() };
        let w = text_width(&text, EDGE_LABEL_SIZE, false) + 4.0;
        let h = EDGE_LABEL_SIZE + 4.0;
        'place: for seg in segments(&routes[i]) {
            for t in [0.5, 0.32, 0.68, 0.2, 0.8] {
                let (x, y) = bezier(seg, t);
                let r = Rect { x: x - w / 2.0, y: y - h / 2.0, width: w, height: h };
                if r.x < 0.0 || r.y < 0.0 || r.x + r.width > width || r.y + r.height > height {
                    continue;
                }
                if blocked.iter().chain(&label_boxes).any(|b| b.overlaps(&r)) {
                    continue;
                }
                label_boxes.push(r);
                labels.push((i, x, y, text.clone()));
                break 'place;
            }
        }
    }

    let p = frame.id;
    let mut svg = String::with_capacity(1024 + graph.nodes.len() * 400 + graph.edges.len() * 200);
    let _ = write!(
        svg,
        "<svg class=\"graph-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" style=\"--w:{w}px\" aria-labelledby=\"{p}-t {p}-d\"><title id=\"{p}-t\">{}</title><desc id=\"{p}-d\">{}</desc>",
        esc(&frame.title),
        esc(&frame.description),
        w = px(width.ceil()),
        h = px(height.ceil()),
    );
    let used: BTreeSet<EdgeType> = graph.edges.iter().map(|e| e.ty).collect();
    svg.push_str("<defs>");
    for ty in &used {
        let _ = write!(
            svg,
            "<marker id=\"{p}-a-{s}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path class=\"gm e-{s}\" d=\"M0 1L10 5L0 9z\"/></marker>",
            s = ty.slug()
        );
    }
    svg.push_str("</defs>");
    if let (Some(b), Some((id, _))) = (&cluster_box, &graph.cluster) {
        let n = &index.nodes[*id as usize];
        let (label, _) =
            shorten(&cluster_heading(index, graph).unwrap_or_default(), 12.0, true, (b.width - 16.0).max(40.0));
        let _ = write!(
            svg,
            "<g class=\"gc k-{k}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\"/><text x=\"{}\" y=\"{}\">{}</text></g>",
            px(b.x),
            px(b.y),
            px(b.width),
            px(b.height),
            px(b.x + 10.0),
            px(b.y + 16.0),
            esc(&label),
            k = kind_class(&n.kind)
        );
    }
    svg.push_str("<g class=\"ges\">");
    for (i, e) in graph.edges.iter().enumerate() {
        let r = &routes[i];
        if r.len() < 2 {
            continue;
        }
        let from = &drawn[e.from];
        let to = &drawn[e.to];
        let what = if e.count > 1 {
            format!("{} {} {} ({} relations)", from.name, e.ty.label(), to.name, e.count)
        } else {
            format!("{} {} {}", from.name, e.ty.label(), to.name)
        };
        let _ = write!(
            svg,
            "<path class=\"ge e-{s}\" d=\"{}\" marker-end=\"url(#{p}-a-{s})\"><title>{}</title></path>",
            path_data(r),
            esc(&what),
            s = e.ty.slug()
        );
    }
    for (_, x, y, text) in &labels {
        let _ = write!(
            svg,
            "<text class=\"gl\" x=\"{}\" y=\"{}\">{}</text>",
            px(*x),
            px(y + EDGE_LABEL_SIZE * 0.35),
            esc(text)
        );
    }
    svg.push_str("</g>");
    for (i, d) in drawn.iter().enumerate() {
        let r = &nodes[i];
        let open = match &d.href {
            Some(h) => format!("<a href=\"{}\" class=\"{}\">", esc(h), d.classes),
            None => format!("<g class=\"{}\" tabindex=\"0\">", d.classes),
        };
        svg.push_str(&open);
        let _ = write!(svg, "<title>{}</title>", esc(&d.tooltip));
        svg.push_str(&shape(&d.classes, r));
        let cx = px(r.x + r.width / 2.0);
        let _ = write!(
            svg,
            "<text class=\"gt\" x=\"{cx}\" y=\"{}\">{}</text><text class=\"gs\" x=\"{cx}\" y=\"{}\">{}</text>",
            px(r.y + 19.0),
            esc(&d.name),
            px(r.y + 34.0),
            esc(&d.sub)
        );
        svg.push_str(if d.href.is_some() { "</a>" } else { "</g>" });
    }
    svg.push_str("</svg>");

    let mut html = String::with_capacity(svg.len() + 1200);
    let _ = write!(html, "<figure class=\"graph\" id=\"{p}\"><div class=\"graph-scroll\">");
    html.push_str(&svg);
    html.push_str("</div>");
    html.push_str(&legend(&drawn, &used));
    html.push_str("</figure>");
    Figure {
        html,
        nodes: graph.nodes.len(),
        edges: graph.edges.len(),
        crossings: lay.crossings,
        width,
        height,
        node_boxes: nodes,
        label_boxes,
    }
}

fn cluster_heading(index: &GraphIndex, graph: &Graph) -> Option<String> {
    let (id, _) = graph.cluster.as_ref()?;
    let n = &index.nodes[*id as usize];
    Some(format!("{} {}", display_kind(&n.kind), n.title))
}

/// Spreads the ends of edges meeting one side of a node over that side,
/// ordered by where they come from, so arrowheads do not pile up.
fn spread_ports(routes: &mut [Vec<(f64, f64)>], nodes: &[Rect], edges: &[(usize, usize)]) {
    // (node, right side?) -> (route, which end)
    let mut sides: BTreeMap<(usize, bool), Vec<(usize, bool)>> = BTreeMap::new();
    for (i, &(u, v)) in edges.iter().enumerate() {
        let r = &routes[i];
        if r.len() < 2 {
            continue;
        }
        for (node, first) in [(u, true), (v, false)] {
            let p = if first { r[0] } else { r[r.len() - 1] };
            let right = (p.0 - (nodes[node].x + nodes[node].width)).abs() < 0.5;
            sides.entry((node, right)).or_default().push((i, first));
        }
    }
    for ((node, _), mut ends) in sides {
        if ends.len() < 2 {
            continue;
        }
        let rect = nodes[node];
        let neighbour_y = |&(i, first): &(usize, bool)| {
            let r = &routes[i];
            if first {
                r[1].1
            } else {
                r[r.len() - 2].1
            }
        };
        ends.sort_by(|a, b| neighbour_y(a).total_cmp(&neighbour_y(b)).then(a.0.cmp(&b.0)));
        let span = (rect.height - 12.0).min(ends.len() as f64 * 6.0);
        let top = rect.center_y() - span / 2.0;
        let step = span / (ends.len() - 1) as f64;
        for (k, &(i, first)) in ends.iter().enumerate() {
            let y = top + step * k as f64;
            let r = &mut routes[i];
            let at = if first { 0 } else { r.len() - 1 };
            r[at].1 = y;
        }
    }
}

fn mid_y(route: &[(f64, f64)]) -> f64 {
    route.last().map_or(0.0, |p| p.1)
}

/// The curved pieces of a route (between columns), as cubic Béziers.
fn segments(route: &[(f64, f64)]) -> Vec<[(f64, f64); 4]> {
    route
        .windows(2)
        .filter(|w| (w[0].1 - w[1].1).abs() > 0.5 || (w[1].0 - w[0].0).abs() > 0.5)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let dx = (b.0 - a.0) / 2.0;
            [a, (a.0 + dx, a.1), (b.0 - dx, b.1), b]
        })
        .collect()
}

fn bezier(s: [(f64, f64); 4], t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let f = |i: usize| match i {
        0 => u * u * u,
        1 => 3.0 * u * u * t,
        2 => 3.0 * u * t * t,
        _ => t * t * t,
    };
    let x = (0..4).map(|i| f(i) * s[i].0).sum();
    let y = (0..4).map(|i| f(i) * s[i].1).sum();
    (x, y)
}

fn path_data(route: &[(f64, f64)]) -> String {
    let mut d = String::new();
    let (x0, y0) = route[0];
    let _ = write!(d, "M{} {}", px(x0), px(y0));
    for w in route.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.1 - b.1).abs() < 0.5 {
            let _ = write!(d, "L{} {}", px(b.0), px(b.1));
        } else {
            let dx = (b.0 - a.0) / 2.0;
            let _ = write!(d, "C{} {} {} {} {} {}", px(a.0 + dx), px(a.1), px(b.0 - dx), px(b.1), px(b.0), px(b.1));
        }
    }
    d
}

/// The outline of a node, by kind (whole pixels: short, fast to write).
fn shape(classes: &str, r: &Rect) -> String {
    let (x, y, w, h) = (px(r.x), px(r.y), px(r.width), px(r.height));
    let has = |c: &str| classes.split(' ').any(|k| k == c);
    if has("k-api") {
        let c = 10.min(w / 3);
        let m = y + h / 2;
        format!(
            "<polygon class=\"gb\" points=\"{},{y} {},{y} {},{m} {},{} {},{} {x},{m}\"/>",
            x + c,
            x + w - c,
            x + w,
            x + w - c,
            y + h,
            x + c,
            y + h,
        )
    } else if has("k-resource") {
        let ry = (h / 8).max(2);
        format!(
            "<path class=\"gb\" d=\"M{x} {t}a{rx} {ry} 0 0 1 {w} 0v{hh}a{rx} {ry} 0 0 1 -{w} 0z\"/><path class=\"gb-line\" d=\"M{x} {t}a{rx} {ry} 0 0 0 {w} 0\"/>",
            t = y + ry,
            rx = w / 2,
            hh = h - 2 * ry,
        )
    } else {
        let rx = if has("k-group") || has("k-user") {
            h / 2
        } else if has("k-domain") {
            14.min(h / 2)
        } else if has("k-system") {
            3
        } else {
            7.min(h / 3)
        };
        format!("<rect class=\"gb\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{rx}\"/>")
    }
}

/// A coordinate as whole pixels.
fn px(v: f64) -> i64 {
    v.round() as i64
}

/// HTML-escaped text, without copying when nothing needs escaping.
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(['&', '<', '>', '"', '\'']) {
        std::borrow::Cow::Owned(escape_html(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The legend, in HTML: swatches drawn by `graph.css` from their classes.
fn legend(drawn: &[Drawn], used: &BTreeSet<EdgeType>) -> String {
    let mut kinds: BTreeSet<(usize, &str)> = BTreeSet::new();
    let (mut missing, mut deprecated, mut more) = (false, false, false);
    for d in drawn {
        if d.classes.starts_with("gn more") {
            more = true;
        } else {
            kinds.insert((crate::site::views::kind_rank(&d.kind), d.kind.as_str()));
        }
        missing |= d.classes.contains(" missing");
        deprecated |= d.classes.contains(" deprecated");
    }
    let mut out =
        String::from("<figcaption class=\"graph-legend\"><span class=\"visually-hidden\">Legend: </span><ul>");
    for (_, kind) in kinds {
        let _ = write!(out, "<li><i class=\"lg lg-k k-{}\"></i>{}</li>", kind_class(kind), esc(display_kind(kind)));
    }
    for ty in used {
        let _ = write!(out, "<li><i class=\"lg lg-e e-{}\"></i>{}</li>", ty.slug(), ty.label());
    }
    if deprecated {
        out.push_str("<li><i class=\"lg lg-k deprecated\"></i>deprecated</li>");
    }
    if missing {
        out.push_str("<li><i class=\"lg lg-k missing\"></i>not in the catalog</li>");
    }
    if more {
        out.push_str("<li><i class=\"lg lg-k more\"></i>+N more: opens the full list</li>");
    }
    out.push_str("</ul></figcaption>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortening_fits_and_marks() {
        let (s, cut) = shorten("a-very-long-component-name-that-never-ends-anywhere", NAME_SIZE, true, 170.0);
        assert!(cut);
        assert!(s.ends_with('…'));
        assert!(text_width(&s, NAME_SIZE, true) <= 170.0);
        assert_eq!(shorten("short", NAME_SIZE, true, 170.0), ("short".to_string(), false));
    }
}
