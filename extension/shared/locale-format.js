// Numbers, times and durations in the browser's UI language, formatted by the browser (`Intl`),
// so each locale gets its own digits, clock (24-hour or 12-hour), word order and plural forms
// without a message per form. The pages' texts come from _locales; only the values go here.
import "./platform.js";

const { api } = globalThis.PLATFORM;

// "pt_BR" or "pt-BR", as browsers give it, to the tag Intl takes; null if it is none.
function canonical(tag) {
  try {
    return tag ? Intl.getCanonicalLocales(tag.replace(/_/g, "-"))[0] : null;
  } catch {
    return null;
  }
}

const primary = (tag) => tag.split("-")[0];

/**
 * The language numbers and times are written in: the browser's UI language when the texts are
 * in it (with its region: en-GB's clock, not en-US's), else the language of the texts the
 * browser fell back to, so that words and numbers on one page agree.
 */
export function uiLanguage() {
  const browserTag = canonical(api.i18n.getUILanguage?.() || navigator.language);
  const catalogTag = canonical(api.i18n.getMessage("catalog_language")) ?? "en";
  return browserTag && primary(browserTag) === primary(catalogTag) ? browserTag : catalogTag;
}

/** Marks the page as written in the UI language (screen readers, hyphenation, fonts). */
export function markDocumentLanguage(doc = document) {
  doc.documentElement.lang = uiLanguage();
}

const lang = () => uiLanguage();

/** A count or ordinal number, as the language writes digits ("1 234", "1.234", …). */
export function formatNumber(n) {
  return new Intl.NumberFormat(lang(), { maximumFractionDigits: 0 }).format(n);
}

/** A clock time; the date is added when it is not today (a limit can reset tomorrow). */
export function formatTime(ms, now = Date.now()) {
  const when = new Date(ms);
  const sameDay = new Date(now).toDateString() === when.toDateString();
  /** @type {Intl.DateTimeFormatOptions} */
  const options = sameDay ? { timeStyle: "short" } : { dateStyle: "medium", timeStyle: "short" };
  return new Intl.DateTimeFormat(lang(), options).format(when);
}

/** A clock time to the second, for when something was seen. */
export function formatSeenAt(ms) {
  return new Intl.DateTimeFormat(lang(), { timeStyle: "medium" }).format(new Date(ms));
}

/** How far away a time is, in words ("in 2 hours", "dans 2 heures", "2 時間後"). */
export function formatRelative(ms, now = Date.now()) {
  const seconds = Math.round((ms - now) / 1000);
  /** @type {[Intl.RelativeTimeFormatUnit, number][]} */
  const units = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];
  /** @type {[Intl.RelativeTimeFormatUnit, number]} */
  const [unit, size] = units.find(([, size]) => Math.abs(seconds) >= size) ?? ["second", 1];
  return new Intl.RelativeTimeFormat(lang(), { numeric: "auto" }).format(Math.round(seconds / size), unit);
}

/** A length of time in the largest whole unit that fits ("2 minutes", "90 Sekunden"). */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const [unit, value] = s >= 3600 && s % 3600 === 0 ? ["hour", s / 3600] : s >= 60 && s % 60 === 0 ? ["minute", s / 60] : ["second", s];
  return new Intl.NumberFormat(lang(), { style: "unit", unit, unitDisplay: "long" }).format(value);
}

/** A countdown as a clock ("0:27", "1:05"), with the language's digits. */
export function formatCountdown(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const minutes = new Intl.NumberFormat(lang(), { maximumFractionDigits: 0 }).format(Math.floor(s / 60));
  const seconds = new Intl.NumberFormat(lang(), { minimumIntegerDigits: 2, useGrouping: false }).format(s % 60);
  return `${minutes}:${seconds}`;
}
