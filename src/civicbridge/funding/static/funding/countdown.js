// Progressive enhancement of a call's page: the server already wrote the time left and
// every deadline on the funder's clock and the site's; this keeps the countdown ticking and
// adds each deadline on the visitor's own clock when it differs from both.
(function () {
  "use strict";
  const lang = document.documentElement.lang || "en";

  function unit(count, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(count);
    } catch (error) {
      return count + " " + name + (count === 1 ? "" : "s");
    }
  }

  function remaining(milliseconds) {
    let minutes = Math.max(Math.floor(milliseconds / 60000), 0);
    const days = Math.floor(minutes / 1440);
    minutes -= days * 1440;
    const hours = Math.floor(minutes / 60);
    minutes -= hours * 60;
    const parts = [];
    if (days) parts.push(unit(days, "day"));
    if (hours) parts.push(unit(hours, "hour"));
    if (!days && (minutes || !parts.length)) parts.push(unit(minutes, "minute"));
    return parts.slice(0, 2).join(" ");
  }

  function tick(element) {
    const target = Date.parse(element.dataset.countdownTarget);
    const left = target - Date.now();
    if (Number.isNaN(target)) return false;
    if (left <= 0) {
      element.textContent = element.dataset.countdownDone;
      return false;
    }
    const text = element.dataset.countdownTemplate.replace("{remaining}", remaining(left));
    element.textContent = text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
    return true;
  }

  // As the page writes a moment ("j E Y, H:i"): 14 December 2026, 16:00 / 14 grudnia 2026, 16:00.
  function asThePageWrites(moment) {
    const parts = {};
    const format = new Intl.DateTimeFormat(lang, {
      year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    for (const part of format.formatToParts(moment)) parts[part.type] = part.value;
    return parts.day + " " + parts.month + " " + parts.year + ", " + parts.hour + ":" + parts.minute;
  }

  function localTimes() {
    const visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const time of document.querySelectorAll("time[data-local-time]")) {
      const moment = new Date(time.getAttribute("datetime"));
      if (Number.isNaN(moment.getTime()) || !visitorZone) continue;
      // The server lists the offsets of the clocks the page already shows (the funder's, the
      // site's): a visitor on one of them reads the deadline there already.
      const offsetHere = String(-moment.getTimezoneOffset());
      const shown = (time.dataset.shownOffsets || "").split(" ").filter(Boolean);
      if (shown.includes(offsetHere)) continue;
      const note = document.createElement("span");
      note.className = "visitor-time";
      // Named as the server's clocks are: "(your time)", in the page's language.
      note.textContent = " · " + asThePageWrites(moment) + " (" + time.dataset.localTime + ")";
      time.parentNode.appendChild(note);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    localTimes();
    const countdown = document.querySelector("[data-countdown-target]");
    if (countdown && tick(countdown)) {
      const timer = setInterval(() => { if (!tick(countdown)) clearInterval(timer); }, 30000);
    }
  });
})();
