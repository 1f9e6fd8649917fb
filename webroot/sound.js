// A short two-tone beep made with Web Audio: no asset to load. Browsers only let a page start audio after the
// user interacted with it, so the context is created on the first click or key press.

let context = null;
let muted = localStorage.getItem('candlebus.muted') === 'true';
let played = 0;

export function unlockAudioOnFirstGesture() {
  const unlock = () => {
    try {
      context ??= new AudioContext();
      context.resume();
    } catch (e) {
      console.warn('no Web Audio', e);
    }
  };
  addEventListener('pointerdown', unlock, { once: true, capture: true });
  addEventListener('keydown', unlock, { once: true, capture: true });
}

export function isMuted() {
  return muted;
}

export function setMuted(value) {
  muted = value;
  localStorage.setItem('candlebus.muted', String(value));
}

/** How many beeps were asked for (muted or not): the tests count crossings with it. */
export function beepCount() {
  return played;
}

export function beep() {
  played++;
  if (muted || !context || context.state !== 'running') {
    return;
  }
  const start = context.currentTime;
  tone(start, 880);
  tone(start + 0.12, 1320);
}

function tone(at, frequency) {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.11);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(at);
  oscillator.stop(at + 0.12);
}
