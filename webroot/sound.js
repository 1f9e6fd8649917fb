// Alert sounds made with Web Audio (a two-tone beep, a chime, an alarm): no asset to load. Browsers only let a page start audio after the
// user interacted with it, so the context is created on the first click or key press.

let context = null;
let muted = localStorage.getItem('candlebus.muted') === 'true';
let played = 0;
const playedByName = { beep: 0, chime: 0, alarm: 0, none: 0 };

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

/** How many times each sound was asked for by name (muted or not; "none" counted too): {beep, chime, alarm, none}. */
export function soundCounts() {
  return { ...playedByName };
}

export function beep() {
  play('beep');
}

// Each sound: the tones [offset s, Hz, length s, wave] it is made of.
const SOUNDS = {
  beep: [[0, 880, 0.11, 'sine'], [0.12, 1320, 0.11, 'sine']],
  chime: [[0, 1046.5, 0.6, 'sine'], [0.15, 1318.5, 0.6, 'sine'], [0.3, 1568, 0.9, 'sine']], // C6 E6 G6, ringing
  alarm: [0, 0.25, 0.5, 0.75].flatMap((t) => [[t, 960, 0.11, 'square'], [t + 0.12, 720, 0.11, 'square']]),
};

/** Plays an alert's sound: beep, chime, alarm, or none (silent). Unknown names beep: an alert is never silent by typo. */
export function play(name) {
  const sound = name === 'none' || SOUNDS[name] ? name : 'beep';
  playedByName[sound]++;
  if (sound === 'beep') {
    played++; // beepCount() keeps counting what it always counted
  }
  if (sound === 'none' || muted || !context || context.state !== 'running') {
    return;
  }
  const start = context.currentTime;
  for (const [offset, frequency, length, wave] of SOUNDS[sound]) {
    tone(start + offset, frequency, length, wave);
  }
}

function tone(at, frequency, length = 0.11, wave = 'sine') {
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = wave;
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(wave === 'square' ? 0.08 : 0.25, at + 0.01); // a square wave is louder
  gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start(at);
  oscillator.stop(at + length + 0.01);
}
