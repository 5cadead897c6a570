// Bundle-only stand-in for the string-width package (used by yargs to lay out --help text).
// The real one builds an Intl.Segmenter and several Unicode-property regular expressions when it
// is loaded, which cost ~40 ms of every pman start-up for text pman's help never contains
// (emoji, East Asian wide characters). Width here = code points after stripping ANSI escapes.
'use strict';
const ansi = /\u001b\[[0-9;]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;
module.exports = function stringWidth(text) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  return [...text.replace(ansi, '')].length;
};
module.exports.default = module.exports;
