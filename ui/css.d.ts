// CSS side-effect imports (graphiql/style.css) are bundled by esbuild; TS only needs to know they exist.
declare module '*.css';
