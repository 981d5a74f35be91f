import './base.css';
import './notebook-sql.css';
import './history.css';
