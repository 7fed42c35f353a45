//! Layered (Sugiyama-style) layout, left to right: cycles broken by
//! reversing back edges, layers by longest path (sources pulled next to what
//! they point at), long edges split by dummy nodes, barycentre sweeps to
//! reduce crossings (the best order seen is kept, so the result is never
//! worse than the input order), and vertical positions found by isotonic
//! regression so nodes sit near their neighbours without ever overlapping.
//! Everything is deterministic: ties keep input order.

/// Where a node may go. Pinned nodes sit in their own first or last column
/// (used for other systems around a system's diagram).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    Auto,
    First,
    Last,
}

#[derive(Debug, Clone)]
pub struct NodeSize {
    pub width: f64,
    pub height: f64,
    pub pin: Pin,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.width && o.x < self.x + self.width && self.y < o.y + o.height && o.y < self.y + self.height
    }
    pub fn center_y(&self) -> f64 {
        self.y + self.height / 2.0
    }
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub nodes: Vec<Rect>,
    pub layer_of: Vec<usize>,
    /// Per input edge: the points of its route, from its source to its
    /// target (empty for self-loops and edges between nodes of one layer).
    pub routes: Vec<Vec<(f64, f64)>>,
    pub width: f64,
    pub height: f64,
    /// Crossings of the input order and of the chosen order.
    pub crossings_before: usize,
    pub crossings: usize,
}

/// Horizontal space between columns: room for an edge label.
pub const LAYER_GAP: f64 = 96.0;
pub const NODE_GAP: f64 = 14.0;
const DUMMY_GAP: f64 = 6.0;
pub const MARGIN: f64 = 8.0;
const SWEEPS: usize = 12;

/// A node of the layered graph: a real node or a dummy on a long edge.
struct Slot {
    real: Option<usize>,
    height: f64,
}

pub fn layout(nodes: &[NodeSize], edges: &[(usize, usize)]) -> Layout {
    let n = nodes.len();
    // Edges as laid out (u left of v); `flipped` when drawn the other way.
    let mut flipped = vec![false; edges.len()];
    let mut usable = vec![true; edges.len()];
    for (i, &(u, v)) in edges.iter().enumerate() {
        if u == v || u >= n || v >= n {
            usable[i] = false;
        }
    }
    // Edges into a First node or out of a Last node point backwards.
    for (i, &(u, v)) in edges.iter().enumerate() {
        if usable[i] && (nodes[v].pin == Pin::First || nodes[u].pin == Pin::Last) {
            flipped[i] = true;
        }
    }
    let oriented = |i: usize, flipped: &[bool]| {
        let (u, v) = edges[i];
        if flipped[i] {
            (v, u)
        } else {
            (u, v)
        }
    };
    // Cycles among the free nodes: reverse DFS back edges.
    let auto_edge = |i: usize| usable[i] && nodes[edges[i].0].pin == Pin::Auto && nodes[edges[i].1].pin == Pin::Auto;
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..edges.len() {
        if auto_edge(i) {
            out_edges[edges[i].0].push(i);
        }
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    for start in 0..n {
        if state[start] != 0 || nodes[start].pin != Pin::Auto {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (u, ref mut next)) = stack.last_mut() {
            if let Some(&e) = out_edges[u].get(*next) {
                *next += 1;
                let v = edges[e].1;
                match state[v] {
                    0 => {
                        state[v] = 1;
                        stack.push((v, 0));
                    }
                    1 => flipped[e] = true,
                    _ => {}
                }
            } else {
                state[u] = 2;
                stack.pop();
            }
        }
    }

    // Layers of the free nodes: longest path from the sources.
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for i in 0..edges.len() {
        if auto_edge(i) {
            let (u, v) = oriented(i, &flipped);
            succ[u].push(v);
            indegree[v] += 1;
        }
    }
    let mut topo = Vec::with_capacity(n);
    let mut ready: Vec<usize> = (0..n).filter(|&v| nodes[v].pin == Pin::Auto && indegree[v] == 0).collect();
    ready.reverse();
    let mut remaining = indegree.clone();
    while let Some(u) = ready.pop() {
        topo.push(u);
        for &v in succ[u].iter().rev() {
            remaining[v] -= 1;
            if remaining[v] == 0 {
                ready.push(v);
            }
        }
    }
    let mut layer = vec![0usize; n];
    for &u in &topo {
        for &v in &succ[u] {
            layer[v] = layer[v].max(layer[u] + 1);
        }
    }
    // A source sits just before the nearest thing it points at.
    for &u in topo.iter().rev() {
        if indegree[u] == 0 {
            if let Some(min) = succ[u].iter().map(|&v| layer[v]).min() {
                layer[u] = min.saturating_sub(1).max(layer[u]);
            }
        }
    }
    // Unconnected nodes wrap into columns of their own after the rest,
    // rather than one tall column.
    let mut touched = vec![false; n];
    for (i, &(u, v)) in edges.iter().enumerate() {
        if usable[i] {
            touched[u] = true;
            touched[v] = true;
        }
    }
    let isolated: Vec<usize> = (0..n).filter(|&v| nodes[v].pin == Pin::Auto && !touched[v]).collect();
    if !isolated.is_empty() {
        let connected_max = (0..n).filter(|&v| nodes[v].pin == Pin::Auto && touched[v]).map(|v| layer[v]).max();
        let start = connected_max.map_or(0, |m| m + 1);
        let per_column = ((isolated.len() as f64 * 2.0).sqrt().ceil() as usize).max(6);
        for (k, &v) in isolated.iter().enumerate() {
            layer[v] = start + k / per_column;
        }
    }
    let has_first = nodes.iter().any(|s| s.pin == Pin::First);
    let shift = usize::from(has_first);
    let max_auto = (0..n).filter(|&v| nodes[v].pin == Pin::Auto).map(|v| layer[v]).max();
    let last_layer = max_auto.map_or(shift, |m| m + shift + 1);
    for v in 0..n {
        layer[v] = match nodes[v].pin {
            Pin::First => 0,
            Pin::Auto => layer[v] + shift,
            Pin::Last => last_layer,
        };
    }
    let layers_count = layer.iter().copied().max().map_or(0, |m| m + 1);

    // Slots: real nodes, then dummies along each long edge.
    let mut slots: Vec<Slot> = (0..n).map(|v| Slot { real: Some(v), height: nodes[v].height }).collect();
    let mut slot_layer = layer.clone();
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
    let mut seg_edges: Vec<(usize, usize)> = Vec::new();
    for i in 0..edges.len() {
        if !usable[i] {
            continue;
        }
        let (u, v) = oriented(i, &flipped);
        if layer[u] >= layer[v] {
            usable[i] = false;
            continue;
        }
        let mut chain = vec![u];
        for l in layer[u] + 1..layer[v] {
            slots.push(Slot { real: None, height: 2.0 });
            slot_layer.push(l);
            chain.push(slots.len() - 1);
        }
        chain.push(v);
        for w in chain.windows(2) {
            seg_edges.push((w[0], w[1]));
        }
        chains[i] = chain;
    }

    // Orders: input order first; then barycentre sweeps, keeping the best.
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layers_count];
    for (s, &l) in slot_layer.iter().enumerate() {
        order[l].push(s);
    }
    let mut ups: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    let mut downs: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
    for &(a, b) in &seg_edges {
        downs[a].push(b);
        ups[b].push(a);
    }
    let crossings_before = total_crossings(&order, &downs, slots.len());
    let mut best = order.clone();
    let mut best_crossings = crossings_before;
    let mut pos = vec![0usize; slots.len()];
    let set_pos = |order: &[Vec<usize>], pos: &mut [usize]| {
        for layer in order {
            for (i, &s) in layer.iter().enumerate() {
                pos[s] = i;
            }
        }
    };
    for sweep in 0..SWEEPS {
        if best_crossings == 0 {
            break;
        }
        set_pos(&order, &mut pos);
        let down = sweep % 2 == 0;
        let range: Vec<usize> =
            if down { (1..layers_count).collect() } else { (0..layers_count.saturating_sub(1)).rev().collect() };
        for l in range {
            let neighbours = if down { &ups } else { &downs };
            let mut keyed: Vec<(f64, usize, usize)> = order[l]
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    let ns = &neighbours[s];
                    let key = if ns.is_empty() {
                        i as f64
                    } else {
                        let mut p: Vec<usize> = ns.iter().map(|&t| pos[t]).collect();
                        p.sort_unstable();
                        // Median, averaged for an even count.
                        let m = p.len() / 2;
                        if p.len() % 2 == 1 {
                            p[m] as f64
                        } else {
                            (p[m - 1] + p[m]) as f64 / 2.0
                        }
                    };
                    (key, i, s)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            order[l] = keyed.into_iter().map(|(_, _, s)| s).collect();
            for (i, &s) in order[l].iter().enumerate() {
                pos[s] = i;
            }
        }
        transpose(&mut order, &ups, &downs, slots.len());
        let c = total_crossings(&order, &downs, slots.len());
        if c < best_crossings {
            best_crossings = c;
            best = order.clone();
        }
    }
    let order = best;

    // Columns.
    let mut layer_width = vec![0.0f64; layers_count];
    for v in 0..n {
        layer_width[layer[v]] = layer_width[layer[v]].max(nodes[v].width);
    }
    let mut layer_x = vec![MARGIN; layers_count];
    for l in 1..layers_count {
        layer_x[l] = layer_x[l - 1] + layer_width[l - 1] + LAYER_GAP;
    }

    // Rows: pull each slot towards its neighbours, then resolve overlaps
    // keeping the order (isotonic regression with minimum gaps).
    let gap_after = |s: usize, next: usize| {
        if slots[s].real.is_some() && slots[next].real.is_some() {
            NODE_GAP
        } else {
            DUMMY_GAP
        }
    };
    let mut top = vec![0.0f64; slots.len()];
    for layer in &order {
        let mut y = 0.0;
        for (i, &s) in layer.iter().enumerate() {
            top[s] = y;
            y += slots[s].height + layer.get(i + 1).map_or(0.0, |&t| gap_after(s, t));
        }
    }
    // Columns start centred on each other.
    let tallest = order.iter().map(|l| l.last().map_or(0.0, |&s| top[s] + slots[s].height)).fold(0.0f64, f64::max);
    for layer in &order {
        let h = layer.last().map_or(0.0, |&s| top[s] + slots[s].height);
        for &s in layer {
            top[s] += (tallest - h) / 2.0;
        }
    }
    for pass in 0..8 {
        let down = pass % 2 == 0;
        let range: Vec<usize> = if down { (0..layers_count).collect() } else { (0..layers_count).rev().collect() };
        for l in range {
            let desired: Vec<f64> = order[l]
                .iter()
                .map(|&s| {
                    let mut ns: Vec<usize> = ups[s].clone();
                    ns.extend(&downs[s]);
                    let centre = if ns.is_empty() {
                        top[s] + slots[s].height / 2.0
                    } else {
                        ns.iter().map(|&t| top[t] + slots[t].height / 2.0).sum::<f64>() / ns.len() as f64
                    };
                    centre - slots[s].height / 2.0
                })
                .collect();
            let weights: Vec<f64> = order[l].iter().map(|&s| if slots[s].real.is_some() { 1.0 } else { 0.4 }).collect();
            let mut offsets = Vec::with_capacity(order[l].len());
            let mut acc = 0.0;
            for (i, &s) in order[l].iter().enumerate() {
                offsets.push(acc);
                acc += slots[s].height + order[l].get(i + 1).map_or(0.0, |&t| gap_after(s, t));
            }
            let z: Vec<f64> = desired.iter().zip(&offsets).map(|(d, o)| d - o).collect();
            let fitted = isotonic(&z, &weights);
            for (i, &s) in order[l].iter().enumerate() {
                top[s] = fitted[i] + offsets[i];
            }
        }
    }
    let min_top = top.iter().copied().fold(f64::INFINITY, f64::min);
    let min_top = if min_top.is_finite() { min_top } else { 0.0 };
    for t in &mut top {
        *t = (*t - min_top + MARGIN).round();
    }

    let rects: Vec<Rect> = (0..n)
        .map(|v| {
            let l = layer[v];
            Rect {
                x: (layer_x[l] + (layer_width[l] - nodes[v].width) / 2.0).round(),
                y: top[v],
                width: nodes[v].width,
                height: nodes[v].height,
            }
        })
        .collect();
    let mut routes = vec![Vec::new(); edges.len()];
    for i in 0..edges.len() {
        if !usable[i] {
            continue;
        }
        let chain = &chains[i];
        let mut points = Vec::new();
        for (k, &s) in chain.iter().enumerate() {
            let y = top[s] + slots[s].height / 2.0;
            match slots[s].real {
                Some(v) if k == 0 => points.push((rects[v].x + rects[v].width, y)),
                Some(v) => points.push((rects[v].x, y)),
                None => {
                    let l = slot_layer[s];
                    points.push((layer_x[l], y));
                    points.push((layer_x[l] + layer_width[l], y));
                }
            }
        }
        if flipped[i] {
            points.reverse();
        }
        routes[i] = points;
    }
    let width = layer_x.last().map_or(0.0, |x| x + layer_width[layers_count - 1]) + MARGIN;
    let height = (0..slots.len()).map(|s| top[s] + slots[s].height).fold(0.0f64, f64::max) + MARGIN;
    Layout {
        nodes: rects,
        layer_of: layer,
        routes,
        width: width.ceil(),
        height: height.ceil(),
        crossings_before,
        crossings: best_crossings,
    }
}

/// Swaps neighbours in a layer while that removes crossings.
fn transpose(order: &mut [Vec<usize>], ups: &[Vec<usize>], downs: &[Vec<usize>], slots: usize) {
    let mut pos = vec![0usize; slots];
    for layer in order.iter() {
        for (i, &s) in layer.iter().enumerate() {
            pos[s] = i;
        }
    }
    let pair_crossings = |a: usize, b: usize, pos: &[usize]| -> usize {
        // Crossings between a's and b's edges when a is above b.
        let mut c = 0;
        for ns in [ups, downs] {
            for &x in &ns[a] {
                for &y in &ns[b] {
                    if pos[x] > pos[y] {
                        c += 1;
                    }
                }
            }
        }
        c
    };
    for _ in 0..4 {
        let mut improved = false;
        for layer in order.iter_mut() {
            for i in 0..layer.len().saturating_sub(1) {
                let (a, b) = (layer[i], layer[i + 1]);
                if pair_crossings(a, b, &pos) > pair_crossings(b, a, &pos) {
                    layer.swap(i, i + 1);
                    pos[a] = i + 1;
                    pos[b] = i;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Edge crossings between consecutive layers.
pub fn total_crossings(order: &[Vec<usize>], downs: &[Vec<usize>], slots: usize) -> usize {
    let mut pos = vec![0usize; slots];
    for layer in order {
        for (i, &s) in layer.iter().enumerate() {
            pos[s] = i;
        }
    }
    let mut total = 0;
    for layer in order {
        let mut segs: Vec<(usize, usize)> = Vec::new();
        for &s in layer {
            for &t in &downs[s] {
                segs.push((pos[s], pos[t]));
            }
        }
        segs.sort_unstable();
        // Inversions of the target positions, counted with a Fenwick tree.
        let size = segs.iter().map(|&(_, b)| b + 1).max().unwrap_or(0);
        let mut tree = vec![0usize; size + 1];
        let mut seen = 0usize;
        let mut i = 0;
        while i < segs.len() {
            let mut j = i;
            while j < segs.len() && segs[j].0 == segs[i].0 {
                j += 1;
            }
            // Segments from the same slot never cross each other.
            for &(_, b) in &segs[i..j] {
                let mut k = b + 1;
                let mut le = 0;
                while k > 0 {
                    le += tree[k];
                    k &= k - 1;
                }
                total += seen - le;
            }
            for &(_, b) in &segs[i..j] {
                let mut k = b + 1;
                while k <= size {
                    tree[k] += 1;
                    k += k & k.wrapping_neg();
                }
                seen += 1;
            }
            i = j;
        }
    }
    total
}

/// Weighted isotonic regression (pool adjacent violators): the
/// non-decreasing sequence closest to `values`.
fn isotonic(values: &[f64], weights: &[f64]) -> Vec<f64> {
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new(); // mean, weight, count
    for (&v, &w) in values.iter().zip(weights) {
        blocks.push((v, w, 1));
        while blocks.len() > 1 {
            let (m2, w2, c2) = blocks[blocks.len() - 1];
            let (m1, w1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            let w = w1 + w2;
            let last = blocks.len() - 1;
            blocks[last] = ((m1 * w1 + m2 * w2) / w, w, c1 + c2);
        }
    }
    blocks.into_iter().flat_map(|(m, _, c)| std::iter::repeat_n(m, c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(n: usize) -> Vec<NodeSize> {
        (0..n).map(|i| NodeSize { width: 100.0 + (i % 3) as f64 * 20.0, height: 40.0, pin: Pin::Auto }).collect()
    }

    fn assert_no_overlap(l: &Layout) {
        for (i, a) in l.nodes.iter().enumerate() {
            for b in &l.nodes[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn layers_follow_edges() {
        let edges = [(0, 1), (1, 2), (0, 2), (3, 2), (4, 0)];
        let l = layout(&boxes(5), &edges);
        for &(u, v) in &edges {
            assert!(l.layer_of[u] < l.layer_of[v], "edge {u}->{v} goes backwards: {:?}", l.layer_of);
            assert!(l.nodes[u].x + l.nodes[u].width < l.nodes[v].x);
        }
        // The source 3 sits right before its target, not in the first column.
        assert_eq!(l.layer_of[3] + 1, l.layer_of[2]);
        assert_no_overlap(&l);
    }

    #[test]
    fn cycles_terminate_and_routes_keep_direction() {
        let edges = [(0, 1), (1, 2), (2, 0), (2, 2)];
        let l = layout(&boxes(3), &edges);
        assert_no_overlap(&l);
        for (i, &(u, v)) in edges.iter().enumerate().take(3) {
            let r = &l.routes[i];
            assert!(r.len() >= 2);
            let (sx, _) = r[0];
            let (tx, _) = r[r.len() - 1];
            // Starts at the source's side, ends at the target's side.
            assert!((sx - l.nodes[u].x).abs() < 1e-6 || (sx - l.nodes[u].x - l.nodes[u].width).abs() < 1e-6);
            assert!((tx - l.nodes[v].x).abs() < 1e-6 || (tx - l.nodes[v].x - l.nodes[v].width).abs() < 1e-6);
        }
        assert!(l.routes[3].is_empty());
    }

    #[test]
    fn crossing_reduction_never_worse_and_untangles_a_known_graph() {
        // Two columns wired in reverse: input order has every pair crossing.
        let edges: Vec<(usize, usize)> = (0..5).map(|i| (i, 9 - i)).collect();
        let l = layout(&boxes(10), &edges);
        assert_eq!(l.crossings_before, 10);
        assert_eq!(l.crossings, 0);
        // A K(3,3) has crossings whatever the order; never more than input.
        let k33: Vec<(usize, usize)> = (0..3).flat_map(|a| (3..6).map(move |b| (a, b))).collect();
        let l = layout(&boxes(6), &k33);
        assert!(l.crossings <= l.crossings_before);
        assert_eq!(l.crossings, 9);
    }

    #[test]
    fn long_edges_bend_around_nodes() {
        // 0 -> 1 -> 2 -> 3 and 0 -> 3 skipping two layers.
        let edges = [(0, 1), (1, 2), (2, 3), (0, 3), (4, 2), (5, 1)];
        let l = layout(&boxes(6), &edges);
        assert_no_overlap(&l);
        let route = &l.routes[3];
        assert_eq!(route.len(), 6, "two dummies, two points each, plus ends");
        // Where it crosses a column it passes no node.
        for w in route.windows(2) {
            if (w[0].1 - w[1].1).abs() < 1e-9 && w[1].0 > w[0].0 {
                for r in &l.nodes {
                    let inside_x = w[0].0 < r.x + r.width && r.x < w[1].0;
                    assert!(!(inside_x && w[0].1 > r.y && w[0].1 < r.y + r.height), "route through {r:?}");
                }
            }
        }
    }

    #[test]
    fn pinned_nodes_take_the_outer_columns() {
        let mut nodes = boxes(5);
        nodes[3].pin = Pin::First;
        nodes[4].pin = Pin::Last;
        let edges = [(0, 1), (1, 2), (3, 0), (2, 4), (4, 1)];
        let l = layout(&nodes, &edges);
        assert_eq!(l.layer_of[3], 0);
        let max = l.layer_of.iter().copied().max().unwrap_or(0);
        assert_eq!(l.layer_of[4], max);
        assert!(l.layer_of[..3].iter().all(|&x| x > 0 && x < max));
        assert_no_overlap(&l);
    }

    #[test]
    fn deterministic_and_no_overlaps_on_a_wide_fan() {
        let mut edges = Vec::new();
        for i in 1..30 {
            edges.push((i, 0));
            if i % 3 == 0 {
                edges.push((0, 30 + i % 4));
            }
        }
        let nodes = boxes(34);
        let a = layout(&nodes, &edges);
        let b = layout(&nodes, &edges);
        assert_eq!(a.nodes, b.nodes);
        assert_eq!(a.routes, b.routes);
        assert_no_overlap(&a);
        assert!(a.width > 0.0 && a.height > 0.0);
        for r in &a.nodes {
            assert!(r.x >= 0.0 && r.y >= 0.0 && r.x + r.width <= a.width && r.y + r.height <= a.height);
        }
    }

    #[test]
    fn unconnected_nodes_wrap_into_columns() {
        let l = layout(&boxes(40), &[(0, 1)]);
        assert_no_overlap(&l);
        let columns = l.layer_of.iter().copied().max().unwrap_or(0) + 1;
        assert!(columns >= 4, "{columns} columns");
        assert!(l.height < 12.0 * 60.0);
    }

    #[test]
    fn isotonic_keeps_order() {
        assert_eq!(isotonic(&[1.0, 3.0, 2.0, 4.0], &[1.0; 4]), vec![1.0, 2.5, 2.5, 4.0]);
    }
}
