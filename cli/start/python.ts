import which from 'which';

/** The full path of the Python command, or null when it is not there. */
export async function findPython(command: string): Promise<string | null> {
  return which(command, { nothrow: true });
}

/** One line: what is missing, how to get it on this system, and that the room runs anyway. */
export function pythonMissing(command: string, platform: NodeJS.Platform = process.platform): string {
  const install = platform === 'darwin'
    ? 'install it from https://www.python.org/downloads/ (or `brew install python`)'
    : platform === 'win32'
      ? 'install it from https://www.python.org/downloads/ and tick "Add python.exe to PATH"'
      : 'install it with your package manager (`sudo apt install python3`, `sudo dnf install python3`)';
  return `Python 3 was not found ("${command}" is not on the PATH): ${install}, or name it with --python / ROOMTONE_PYTHON. The simulator cannot run; the room starts and shows Live as not connected.`;
}
