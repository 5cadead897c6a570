// The lexer, parser and evaluator know what went wrong but not which --format flag the template
// came from; they throw a TemplateFault and lib/format/template.ts turns it into the one
// InvalidArgumentError the user sees, naming the template as typed.

export class TemplateFault extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TemplateFault';
  }
}
