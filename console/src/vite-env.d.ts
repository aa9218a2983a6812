// The types Vite gives the modules it builds, among them the side-effect
// imports of CSS files in main.tsx (which TypeScript 7 checks resolve).
/// <reference types="vite/client" />
