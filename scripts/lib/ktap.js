// A streaming KTAP version 1 parser for the in-kernel tests' output (kernel/test/ktap.ts): feed it
// serial lines as they arrive; it calls onTest for each result of a nested suite and onSuite for
// each top-level result. Lines before the first `KTAP version 1` (the boot log) are ignored. It
// knows the two levels tsk prints: a top-level document whose results are suites, each suite an
// indented document whose results are tests.
"use strict";

class KtapParser {
  constructor({ onTest = () => {}, onSuite = () => {} } = {}) {
    this.onTest = onTest;
    this.onSuite = onSuite;
    this.started = false;
    this.plan = null; // top-level plan
    this.suites = []; // top-level results seen
    this.suite = null; // the open suite: {name, plan, tests: []}
    this.pending = []; // lines since the last result (diagnostics and anything else)
    this.errors = []; // KTAP protocol errors
  }

  line(raw) {
    const l = raw.replace(/\r$/, "");
    if (!this.started) {
      if (l === "KTAP version 1") this.started = true;
      return;
    }
    const nested = /^ {4}(.*)$/.exec(l);
    if (nested) return this.nestedLine(nested[1], l);
    let m;
    if ((m = /^1\.\.(\d+)$/.exec(l))) {
      this.plan = Number(m[1]);
    } else if ((m = /^(ok|not ok) (\d+) (\S+)(?: # (SKIP)\b.*)?$/.exec(l))) {
      const s = this.suite || { name: m[3], plan: null, tests: [] };
      const result = { name: m[3], number: Number(m[2]), ok: m[1] === "ok", tests: s.tests, plan: s.plan };
      if (s.plan !== null && s.tests.length !== s.plan) {
        this.errors.push(`suite ${m[3]}: plan 1..${s.plan} but ${s.tests.length} results`);
        result.ok = false;
      }
      if (result.number !== this.suites.length + 1) this.errors.push(`suite ${m[3]}: numbered ${m[2]}, expected ${this.suites.length + 1}`);
      this.suites.push(result);
      this.suite = null;
      this.pending = [];
      this.onSuite(result);
    } else {
      this.pending.push(l);
    }
  }

  nestedLine(l, raw) {
    let m;
    if (l === "KTAP version 1") {
      this.suite = { name: null, plan: null, tests: [] };
      this.pending = [];
    } else if (!this.suite) {
      this.pending.push(raw);
    } else if ((m = /^# Subtest: (.*)$/.exec(l))) {
      this.suite.name = m[1];
    } else if ((m = /^1\.\.(\d+)$/.exec(l))) {
      this.suite.plan = Number(m[1]);
    } else if ((m = /^(ok|not ok) (\d+) (\S+)(?: # (SKIP)\b.*)?$/.exec(l))) {
      const result = {
        suite: this.suite.name, name: m[3], number: Number(m[2]), ok: m[1] === "ok", skip: !!m[4],
        diagnostics: this.pending.map((p) => p.replace(/^ {4}/, "")),
      };
      if (result.number !== this.suite.tests.length + 1) {
        this.errors.push(`${this.suite.name}: test ${m[3]} numbered ${m[2]}, expected ${this.suite.tests.length + 1}`);
      }
      this.suite.tests.push(result);
      this.pending = [];
      this.onTest(result);
    } else {
      this.pending.push(raw);
    }
  }

  /** What is wrong with the document once the run has ended ([] when it is complete). */
  problems() {
    const out = [...this.errors];
    if (!this.started) out.push("no `KTAP version 1` line");
    else if (this.plan === null) out.push("no top-level plan");
    else if (this.suites.length !== this.plan) out.push(`plan 1..${this.plan} but ${this.suites.length} suite results`);
    if (this.suite) out.push(`suite ${this.suite.name} never ended (after ${this.suite.tests.length} of ${this.suite.plan} tests)`);
    return out;
  }
}

module.exports = { KtapParser };
