import './base.css';
import './notebook-sql.css';
import './history.css';
import './join-builder.css';
