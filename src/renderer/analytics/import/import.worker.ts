// The archive import's Web Worker: unpacking and parsing an archive of tens of thousands of posts
// takes seconds of CPU, which must not be the page's (issue 9: "never freeze the window").
// Started by import-archive.ts, one worker per import.
import { serveImports, type ImportPort } from './import-service';

serveImports(self as unknown as ImportPort);
