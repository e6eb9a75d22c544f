// @ts-check
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "out/",
      "tmp/",
      "tmp-*",
      "notebooks/dist/",
      "notebooks/src/.observablehq/",
      "notebooks/src/components/report.js",
      "schemas/generated/",
      "datasets/**/*.gz",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // rules that need the types: promises nobody awaits, handed where a void callback is
    // expected, or awaited values that are not promises
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
);
