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
);
