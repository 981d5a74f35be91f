import { LabIcon } from '@jupyterlab/ui-components';

// A database cylinder; `jp-icon3` lets the theme colour it.
const svgstr = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 2C7.6 2 4 3.3 4 5v14c0 1.7 3.6 3 8 3s8-1.3 8-3V5c0-1.7-3.6-3-8-3zm0 2c3.9 0 6 1.1 6 1s-2.1 1-6 1-6-.9-6-1 2.1-1 6-1zM6 7.4C7.5 8.1 9.6 8.5 12 8.5s4.5-.4 6-1.1V11c0 .3-2.1 1.5-6 1.5S6 11.3 6 11V7.4zm0 6c1.5.7 3.6 1.1 6 1.1s4.5-.4 6-1.1V17c0 .3-2.1 1.5-6 1.5S6 17.3 6 17v-3.6z"/>
  </g>
</svg>`;

export const workbenchIcon = new LabIcon({
  name: 'mlworkbench:workbench',
  svgstr
});
