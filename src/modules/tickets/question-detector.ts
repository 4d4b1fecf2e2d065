// Tells whether a customer's message still asks something, so that ticking "gelöst" can be confirmed once more.
const questionStarts = [
  'wer', 'wen', 'wem', 'wessen', 'was', 'wann', 'wo', 'woher', 'wohin', 'wozu', 'womit', 'wodurch', 'worauf', 'worum',
  'wie', 'wieso', 'weshalb', 'warum', 'welche', 'welcher', 'welches', 'welchen', 'welchem',
  'können sie', 'könnten sie', 'kann ich', 'kann man', 'könnt ihr', 'kannst du', 'würden sie', 'wäre es', 'ist es möglich',
  'gibt es', 'haben sie', 'hätten sie', 'bekomme ich', 'muss ich', 'soll ich', 'darf ich',
];
const startPattern = new RegExp(`(?:^|[.!?:;]\\s+|\\n\\s*)(?:${questionStarts.join('|').replaceAll(' ', '\\s+')})(?![\\p{L}\\p{N}])`, 'iu');
const urlPattern = /\b(?:https?:\/\/|www\.)\S+/giu;

export function looksLikeQuestion(message: string): boolean {
  const text = message.replace(urlPattern, ' ').trim();
  if (text.includes('?')) return true;
  return startPattern.test(text);
}
