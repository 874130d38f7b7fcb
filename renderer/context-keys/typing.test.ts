import { describe, expect, it } from 'vitest';
import { isTypingTarget } from './typing.ts';

const element = (tagName: string, extra: Record<string, unknown> = {}) => ({
  tagName,
  closest: () => null,
  ...extra,
});

describe('isTypingTarget', () => {
  it('is true in text fields, text areas, selects and content-editable elements', () => {
    expect(isTypingTarget(element('INPUT'))).toBe(true);
    expect(isTypingTarget(element('INPUT', { type: 'search' }))).toBe(true);
    expect(isTypingTarget(element('input', { type: 'email' }))).toBe(true);
    expect(isTypingTarget(element('TEXTAREA'))).toBe(true);
    expect(isTypingTarget(element('SELECT'))).toBe(true);
    expect(isTypingTarget(element('DIV', { isContentEditable: true }))).toBe(true);
  });

  it('is true anywhere inside a Monaco editor', () => {
    const inEditor = element('DIV', { closest: (s: string) => (s === '.monaco-editor' ? {} : null) });
    expect(isTypingTarget(inEditor)).toBe(true);
  });

  it('is false on buttons, checkboxes, grids and the page itself', () => {
    expect(isTypingTarget(element('BUTTON'))).toBe(false);
    expect(isTypingTarget(element('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(element('DIV'))).toBe(false);
    expect(isTypingTarget(element('BODY'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    expect(isTypingTarget(undefined)).toBe(false);
  });
});
