// Small DOM helpers shared by the page's parts.

/** The element with data-testid=id (the page's stable hooks double as its element ids). */
export function byTestId(id) {
  return document.querySelector(`[data-testid="${id}"]`);
}

export function element(tag, { className, text, title } = {}, ...children) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  if (title) e.title = title;
  e.append(...children);
  return e;
}

/** The marks of a market's name: NEW since the last visit, live when carried, its status when not trading. */
export function marketPills({ isNew, carried, status }) {
  const pills = [];
  if (isNew) pills.push(element('span', { className: 'pill new', text: 'NEW', title: 'Listed since your last visit' }));
  if (carried) pills.push(element('span', { className: 'pill carried', text: 'live', title: 'Carried by candlebus' }));
  if (status && status !== 'TRADING') {
    pills.push(element('span', { className: 'pill halted', text: status, title: 'Not trading now' }));
  }
  return pills;
}

/** A short message in the corner that goes away by itself. */
export function toast(message, kind = 'info', ms = 6000) {
  const box = document.querySelector('.toasts');
  const t = element('div', { className: `toast ${kind}`, text: message });
  t.setAttribute('role', 'status');
  box.append(t);
  setTimeout(() => t.remove(), ms);
}
