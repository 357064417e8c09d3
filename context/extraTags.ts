/**
 * Definition patterns the grammars' own tags.scm files lack, in the same capture convention
 * (@name inside @definition.<kind>). The official queries cover functions, classes and methods;
 * completions also use types, enums, fields, constants and macros, so they are added here.
 * A pattern a grammar version rejects is skipped on its own (see grammars.ts).
 */

const TS_JS = [
  '(class_declaration name: (_) @name) @definition.class',
  '(field_definition property: (property_identifier) @name) @definition.field',
  '(program (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant))',
  '(program (export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant)))',
  '(program (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable))',
];

const TS_ONLY = [
  '(type_alias_declaration name: (type_identifier) @name) @definition.type',
  '(enum_declaration name: (identifier) @name) @definition.enum',
  '(enum_body (property_identifier) @name @definition.constant)',
  '(enum_assignment name: (property_identifier) @name) @definition.constant',
  '(interface_declaration name: (type_identifier) @name) @definition.interface',
  '(public_field_definition name: (property_identifier) @name) @definition.field',
  '(property_signature name: (property_identifier) @name) @definition.field',
  '(function_declaration name: (identifier) @name) @definition.function',
];

const PATTERNS: Record<string, string[]> = {
  typescript: [...TS_JS, ...TS_ONLY],
  typescriptreact: [...TS_JS, ...TS_ONLY],
  javascript: TS_JS,
  javascriptreact: TS_JS,
  python: [
    '(class_definition body: (block (expression_statement (assignment left: (identifier) @name) @definition.field)))',
    '(expression_statement (assignment left: (attribute object: (identifier) @_self attribute: (identifier) @name)) @definition.field (#eq? @_self "self"))',
  ],
  go: [
    '(var_spec name: (identifier) @name) @definition.variable',
    '(const_spec name: (identifier) @name) @definition.constant',
    '(field_declaration name: (field_identifier) @name) @definition.field',
    '(method_elem name: (field_identifier) @name) @definition.method',
  ],
  rust: [
    '(const_item name: (identifier) @name) @definition.constant',
    '(static_item name: (identifier) @name) @definition.constant',
    '(field_declaration name: (field_identifier) @name) @definition.field',
    '(enum_variant name: (identifier) @name) @definition.constant',
    '(function_signature_item name: (identifier) @name) @definition.method',
  ],
  java: [
    '(field_declaration declarator: (variable_declarator name: (identifier) @name)) @definition.field',
    '(enum_declaration name: (identifier) @name) @definition.enum',
    '(enum_constant name: (identifier) @name) @definition.constant',
    '(record_declaration name: (identifier) @name) @definition.class',
    '(constructor_declaration name: (identifier) @name) @definition.method',
  ],
  c: [
    '(preproc_def name: (identifier) @name) @definition.macro',
    '(preproc_function_def name: (identifier) @name) @definition.macro',
    '(field_declaration declarator: (field_identifier) @name) @definition.field',
    '(enumerator name: (identifier) @name) @definition.constant',
    '(translation_unit (declaration declarator: (init_declarator declarator: (identifier) @name)) @definition.variable)',
    // `int (name) (args);` (a name in parentheses keeps a same-named macro from expanding), and
    // with an export macro before it, `LUA_API int (name) (args);`, which the grammar reads as a
    // function `int` taking a parameter of type `name`.
    '(function_declarator declarator: (parenthesized_declarator (identifier) @name)) @definition.function',
    '(function_declarator declarator: (function_declarator parameters: (parameter_list . (parameter_declaration type: (type_identifier) @name !declarator) .))) @definition.function',
  ],
  cpp: [
    '(preproc_def name: (identifier) @name) @definition.macro',
    '(preproc_function_def name: (identifier) @name) @definition.macro',
    '(field_declaration declarator: (field_identifier) @name) @definition.field',
    '(enumerator name: (identifier) @name) @definition.constant',
    '(namespace_definition name: (namespace_identifier) @name) @definition.module',
    // `int (name) (args);` (a name in parentheses keeps a same-named macro from expanding), and
    // with an export macro before it, `LUA_API int (name) (args);`, which the grammar reads as a
    // function `int` taking a parameter of type `name`.
    '(function_declarator declarator: (parenthesized_declarator (identifier) @name)) @definition.function',
    '(function_declarator declarator: (function_declarator parameters: (parameter_list . (parameter_declaration type: (type_identifier) @name !declarator) .))) @definition.function',
  ],
  csharp: [
    '(property_declaration name: (identifier) @name) @definition.field',
    '(field_declaration (variable_declaration (variable_declarator name: (identifier) @name))) @definition.field',
    '(enum_declaration name: (identifier) @name) @definition.enum',
    '(enum_member_declaration name: (identifier) @name) @definition.constant',
    '(struct_declaration name: (identifier) @name) @definition.class',
    '(record_declaration name: (identifier) @name) @definition.class',
    '(constructor_declaration name: (identifier) @name) @definition.method',
  ],
  ruby: [
    '(assignment left: (constant) @name) @definition.constant',
  ],
  php: [
    '(const_declaration (const_element (name) @name)) @definition.constant',
    '(enum_declaration name: (name) @name) @definition.enum',
  ],
};

export function extraTagPatterns(languageId: string): string[] {
  return PATTERNS[languageId] ?? [];
}
