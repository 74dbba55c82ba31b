// Sparklines as plain SVG: a few hundred points each, redrawn every poll, need no charting library.
const SVG = 'http://www.w3.org/2000/svg';

/**
 * A small line chart of `values` (null for "no value": a gap), scaled from 0 to the largest value, the last value at
 * the right edge and `slots` values across. Returns an <svg> element `width` x `height` pixels.
 */
export function sparkline(values, { slots = values.length, width = 220, height = 40, className = '' } = {}) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', `spark ${className}`);
  const finite = values.filter((v) => v !== null && Number.isFinite(v));
  const max = Math.max(...finite, 0) || 1;
  const step = width / Math.max(slots - 1, 1);
  const offset = width - (values.length - 1) * step;
  let path = '';
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      drawing = false;
      return;
    }
    const x = (offset + i * step).toFixed(1);
    const y = (height - 2 - (value / max) * (height - 4)).toFixed(1);
    path += `${drawing ? 'L' : 'M'}${x},${y} `;
    drawing = true;
  });
  const line = document.createElementNS(SVG, 'path');
  line.setAttribute('d', path.trim() || `M0,${height - 2} L${width},${height - 2}`);
  svg.append(line);
  return svg;
}

/** The last value that is not null, or null. */
export function latest(values) {
  for (let i = values.length - 1; i >= 0; i -= 1) {
    if (values[i] !== null && Number.isFinite(values[i])) {
      return values[i];
    }
  }
  return null;
}
