/**
 * The page's script, inlined into report.html (no network, no library): it zooms and pans the
 * three time panels together, draws their time axes, and shows an element's details when it is
 * clicked. Elements carry their times in data attributes (svg.ts), so zooming re-places them from
 * the data without redrawing. Ctrl (or Alt) + wheel zooms at the pointer, a drag or a horizontal
 * scroll pans; keys: + and - zoom, 0 shows the whole run, arrow keys pan. A plain vertical wheel
 * still scrolls the page.
 */
import { LEFT, RIGHT, WIDTH } from './svg.js';

export const SCRIPT: string = `(function () {
  'use strict';
  var W = ${WIDTH}, L = ${LEFT}, R = ${RIGHT};
  var panels = Array.prototype.slice.call(document.querySelectorAll('svg.panel'));
  if (panels.length === 0) return;
  var end = Number(panels[0].getAttribute('data-end')) || 1;
  var view = { t0: 0, t1: end };
  var MIN_SPAN = 5;
  function num(el, name) { return Number(el.getAttribute(name)); }
  var items = [];
  panels.forEach(function (svg) {
    svg.querySelectorAll('[data-t0]').forEach(function (el) { items.push({ k: 'rect', el: el, a: num(el, 'data-t0'), b: num(el, 'data-t1') }); });
    svg.querySelectorAll('[data-ta]').forEach(function (el) { items.push({ k: 'line', el: el, a: num(el, 'data-ta'), b: num(el, 'data-tb') }); });
    svg.querySelectorAll('[data-t]').forEach(function (el) {
      items.push({
        k: 'g', el: el, a: num(el, 'data-t'),
        o: el.hasAttribute('data-o') ? num(el, 'data-o') : null,
        until: el.hasAttribute('data-until') ? num(el, 'data-until') : null,
      });
    });
    svg.querySelectorAll('[data-p]').forEach(function (el) {
      var pts = el.getAttribute('data-p').split(' ').map(function (p) { var c = p.split(','); return [Number(c[0]), Number(c[1])]; });
      items.push({ k: 'poly', el: el, pts: pts, o: el.hasAttribute('data-o') });
    });
  });
  // The offsets panel's y axis follows the offsets in view.
  var yaxis = document.querySelector('g.yaxis');
  var yTop = yaxis ? Number(yaxis.getAttribute('data-top')) : 0;
  var yBottom = yaxis ? Number(yaxis.getAttribute('data-bottom')) : 0;
  var yr = { lo: 0, hi: 1 };
  function offsetRange() {
    var lo = Infinity, hi = -Infinity;
    items.forEach(function (it) {
      if (it.k !== 'poly' || !it.o) return;
      var before = null;
      for (var i = 0; i < it.pts.length; i++) {
        var p = it.pts[i];
        if (p[0] < view.t0) { before = p; continue; }
        if (p[0] > view.t1) break;
        if (p[1] < lo) lo = p[1];
        if (p[1] > hi) hi = p[1];
      }
      if (before && it.el.classList.contains('offset-line')) { lo = Math.min(lo, before[1]); hi = Math.max(hi, before[1]); }
    });
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    var pad = Math.max(5, (hi - lo) * 0.06);
    yr = { lo: Math.max(0, lo - pad), hi: hi + pad };
  }
  function y(o) { return yTop + (1 - (o - yr.lo) / (yr.hi - yr.lo)) * (yBottom - yTop); }
  function yTicks() {
    if (!yaxis) return;
    var out = '';
    for (var i = 0; i <= 4; i++) {
      var o = Math.round(yr.lo + (yr.hi - yr.lo) * i / 4), py = r(y(o));
      out += '<text x="' + (L - 8) + '" y="' + (py + 4) + '" class="y-tick">' + o + '</text>' +
        '<line x1="' + L + '" x2="' + W + '" y1="' + py + '" y2="' + py + '" class="grid"/>';
    }
    yaxis.innerHTML = out;
  }
  function x(t) { return L + (t - view.t0) / (view.t1 - view.t0) * (W - L - R); }
  function r(v) { return Math.round(v * 10) / 10; }
  function niceStep(span) {
    var steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000];
    for (var i = 0; i < steps.length; i++) if (span / steps[i] <= 12) return steps[i];
    return steps[steps.length - 1];
  }
  function label(t, step) {
    if (step >= 1000) return (t / 1000) + ' s';
    return (t / 1000).toFixed(step >= 100 ? 1 : step >= 10 ? 2 : 3) + ' s';
  }
  function axes() {
    var step = niceStep(view.t1 - view.t0);
    panels.forEach(function (svg) {
      var g = svg.querySelector('g.axis');
      var h = Number(g.getAttribute('data-height'));
      var out = '';
      for (var t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
        var px = r(x(t));
        out += '<line x1="' + px + '" x2="' + px + '" y1="16" y2="' + h + '" class="tick"/>' +
          '<text x="' + px + '" y="12" class="tick-label" text-anchor="middle">' + label(t, step) + '</text>';
      }
      g.innerHTML = out;
    });
    var zoom = document.getElementById('zoom-level');
    if (zoom) zoom.textContent = (view.t0 / 1000).toFixed(2) + ' s - ' + (view.t1 / 1000).toFixed(2) + ' s';
  }
  function layout() {
    offsetRange();
    for (var i = 0; i < items.length; i++) {
      var it = items[i], el = it.el;
      if (it.k === 'rect') {
        var x0 = x(it.a);
        el.setAttribute('x', r(x0));
        el.setAttribute('width', Math.max(1, r(x(it.b) - x0)));
      } else if (it.k === 'line') {
        el.setAttribute('x1', r(x(it.a)));
        el.setAttribute('x2', r(x(it.b)));
      } else if (it.k === 'g') {
        var gx = x(it.a);
        // A lane label whose interval began before the view stays at the left edge.
        if (it.until !== null && gx < L && x(it.until) > L + 60) gx = L;
        el.setAttribute('transform', 'translate(' + r(gx) + ',' + (it.o === null ? 0 : r(y(it.o))) + ')');
      } else {
        el.setAttribute('points', it.pts.map(function (p) { return r(x(p[0])) + ',' + (it.o ? r(y(p[1])) : p[1]); }).join(' '));
      }
    }
    axes();
    yTicks();
  }
  function setView(t0, t1) {
    var span = Math.max(MIN_SPAN, Math.min(end, t1 - t0));
    t0 = Math.max(0, Math.min(end - span, t0));
    view = { t0: t0, t1: t0 + span };
    layout();
  }
  function zoomAt(t, factor) {
    var span = (view.t1 - view.t0) * factor;
    var f = (t - view.t0) / (view.t1 - view.t0);
    setView(t - f * span, t - f * span + span);
  }
  function timeAt(svg, clientX) {
    var pt = svg.createSVGPoint();
    pt.x = clientX; pt.y = 0;
    var p = pt.matrixTransform(svg.getScreenCTM().inverse());
    return view.t0 + (p.x - L) / (W - L - R) * (view.t1 - view.t0);
  }
  panels.forEach(function (svg) {
    svg.addEventListener('wheel', function (e) {
      if (e.ctrlKey || e.metaKey || e.altKey) {
        e.preventDefault();
        zoomAt(timeAt(svg, e.clientX), e.deltaY > 0 ? 1.25 : 0.8);
      } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        var span = view.t1 - view.t0;
        var dt = e.deltaX / (W - L - R) * span;
        setView(view.t0 + dt, view.t1 + dt);
      }
    }, { passive: false });
    var drag = null;
    svg.addEventListener('pointerdown', function (e) { drag = { x: e.clientX, t0: view.t0, t1: view.t1, moved: false }; });
    svg.addEventListener('pointermove', function (e) {
      if (!drag) return;
      var dt = timeAt(svg, drag.x) - timeAt(svg, e.clientX);
      if (Math.abs(e.clientX - drag.x) > 3) drag.moved = true;
      if (drag.moved) setView(drag.t0 + dt, drag.t1 + dt);
    });
    window.addEventListener('pointerup', function () { if (drag) { panels.moved = drag.moved; drag = null; } });
  });
  var details = document.getElementById('details');
  var selected = null;
  document.addEventListener('click', function (e) {
    var target = e.target;
    if (panels.moved) { panels.moved = false; return; }
    if (target.closest && target.closest('#details')) { details.classList.remove('shown'); return; }
    var goto = target.closest && target.closest('[data-goto]');
    if (goto) {
      var t = Number(goto.getAttribute('data-goto'));
      var span = Math.min(end, Math.max(2000, (view.t1 - view.t0) / 8));
      setView(t - span / 2, t + span / 2);
      document.getElementById('panels').scrollIntoView({ behavior: 'smooth' });
      return;
    }
    var info = target.closest && target.closest('[data-info]');
    if (!info) return;
    if (selected) selected.classList.remove('selected');
    selected = info;
    info.classList.add('selected');
    details.textContent = info.getAttribute('data-info');
    details.classList.add('shown');
  });
  document.getElementById('zoom-in').addEventListener('click', function () { zoomAt((view.t0 + view.t1) / 2, 0.5); });
  document.getElementById('zoom-out').addEventListener('click', function () { zoomAt((view.t0 + view.t1) / 2, 2); });
  document.getElementById('zoom-reset').addEventListener('click', function () { setView(0, end); });
  document.addEventListener('keydown', function (e) {
    var span = view.t1 - view.t0;
    if (e.key === '+' || e.key === '=') zoomAt((view.t0 + view.t1) / 2, 0.5);
    else if (e.key === '-') zoomAt((view.t0 + view.t1) / 2, 2);
    else if (e.key === '0') setView(0, end);
    else if (e.key === 'ArrowLeft') setView(view.t0 - span / 4, view.t1 - span / 4);
    else if (e.key === 'ArrowRight') setView(view.t0 + span / 4, view.t1 + span / 4);
  });
  layout();
})();`;
