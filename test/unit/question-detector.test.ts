// When ticking "gelöst" must be confirmed once more: messages that still ask something, and messages that do not.
import { describe, expect, test } from 'vitest';
import { looksLikeQuestion } from '../../src/modules/tickets/question-detector.js';

describe('asks for confirmation', () => {
  test.each([
    ['a question mark', 'Wann kommt die Lieferung?'],
    ['a polite request without question mark', 'Können Sie mir die Rechnung schicken.'],
    ['a question word starting the second sentence', 'Danke. Wie lange dauert das noch'],
    ['a question word after a line break', 'Vielen Dank für die Antwort\nwo finde ich die Rechnung'],
    ['a question word after a line break and indentation', 'Danke!\n\n   Warum dauert das so lange'],
    ['a question word opening the message', 'Welche Farbe hat das Modell'],
    ['capitals and umlauts', 'KÖNNEN SIE das bitte prüfen'],
    ['a question mark after a link', 'Geht https://shop.example.com/agb noch?'],
  ])('%s: %j', (_case, message) => {
    expect(looksLikeQuestion(message)).toBe(true);
  });
});

describe('solves without asking', () => {
  test.each([
    ['thanks and good wishes', 'Danke, noch einen schönen Tag!'],
    ['thanks', 'Vielen Dank, das hat geholfen.'],
    ['a question word inside a sentence, after a comma', 'Alles klar, wie besprochen.'],
    ['a question mark only inside a link', 'Siehe https://shop.example.com/artikel?id=5'],
    ['a question mark only inside a www link', 'Siehe www.shop.example.com/suche?q=lok'],
    ['a question word only as a part of another word', 'Wasserschaden ist behoben.'],
    ['a question word as the start of a longer word after a break', 'Danke.\nWochenende gerettet.'],
    ['the empty message', ''],
    ['only whitespace', '  \n '],
  ])('%s: %j', (_case, message) => {
    expect(looksLikeQuestion(message)).toBe(false);
  });
});
